package org.flip.imagingapi.xnat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Operators read XNAT's latency and the service account's logins on /actuator/prometheus, on the
 * management port and without the key (Prometheus need not hold the key that also deletes projects).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false)
class XnatMetricsTest {

    private static final String KEY = "metrics-test-key-9a4c6e1f3b8d0a2c5e7f";

    @RegisterExtension
    static WireMockExtension xnat = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @DynamicPropertySource
    static void xnatProperties(DynamicPropertyRegistry registry) {
        registry.add("xnat.url", xnat::baseUrl);
        registry.add("xnat.service-user", () -> "imaging-api");
        registry.add("xnat.service-password", () -> "imaging-api-password");
        registry.add("trust.internal-service.key", () -> KEY);
    }

    @Autowired
    TestRestTemplate rest;

    @Autowired
    XnatGateway gateway;

    @LocalManagementPort
    int managementPort;

    private String scrape() {
        ResponseEntity<String> scrape = rest.getForEntity(
                "http://localhost:" + managementPort + "/actuator/prometheus", String.class);
        assertThat(scrape.getStatusCode().value()).isEqualTo(200);
        return scrape.getBody();
    }

    @Test
    void prometheusShowsXnatTimersByUriTemplateAndCountsLogins() {
        xnat.stubFor(post(urlPathEqualTo("/data/JSESSION"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain")
                        .withBody("0123456789ABCDEF0123456789ABCDEF")));
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(okJson("""
                {"ResultSet":{"Result":[{"ID":"PROJ1","secondary_ID":"","name":"One","description":"",
                "pi_firstname":"","pi_lastname":"","URI":"/data/projects/PROJ1"}],"totalRecords":"1"}}""")));
        xnat.stubFor(get(urlPathMatching("/data/projects/[^/]+")).willReturn(aResponse().withStatus(404)));

        for (int i = 0; i < 3; i++) {
            assertThat(rest.exchange("/projects", HttpMethod.GET, keyed(), String.class).getStatusCode().value())
                    .isEqualTo(200);
        }
        // A call whose URL carries an id: the metric must name the template, not the id.
        XnatOperation byId = XnatOperation.read("project lookup", "/data/projects/{id}?format=json");
        assertThat(gateway.call(byId, "SECRETPROJ42").status()).isEqualTo(404);

        String metrics = scrape();

        assertThat(sample(metrics, "xnat_client_requests_seconds_count",
                "operation=\"GET /data/projects\",outcome=\"200\"")).isEqualTo(3.0);
        assertThat(sample(metrics, "xnat_client_requests_seconds_count",
                "operation=\"GET /data/projects/{id}\",outcome=\"404\"")).isEqualTo(1.0);
        assertThat(sample(metrics, "xnat_logins_total", "result=\"success\"")).isEqualTo(1.0);
        // Resilience4j's breaker around XNAT calls publishes its state and call counts too.
        assertThat(metrics).contains("resilience4j_circuitbreaker_state{").contains("name=\"xnat\"");
        assertThat(metrics).contains("xnat_client_requests_seconds_sum{")
                .doesNotContain("SECRETPROJ42").doesNotContain("PROJ1\"");

        List<String> operations = Pattern.compile("operation=\"([^\"]*)\"").matcher(metrics).results()
                .map(m -> m.group(1)).distinct().toList();
        assertThat(operations).isNotEmpty().allSatisfy(op -> assertThat(op).matches("[A-Z]+ /[A-Za-z0-9/{}_.-]*"));
    }

    @Test
    void theApiPortHasNoPrometheusEndpointEvenWithTheKey() {
        assertThat(rest.getForEntity("/actuator/prometheus", String.class).getStatusCode().value()).isEqualTo(401);
        assertThat(rest.exchange("/actuator/prometheus", HttpMethod.GET, keyed(), String.class).getStatusCode().value())
                .isEqualTo(404);
    }

    /** Buckets up to the task runner's 30 s budget, for inbound requests and XNAT calls alike. */
    @Test
    void latencyHistogramsHaveBucketsUpToTheCallersThirtySeconds() {
        xnat.stubFor(post(urlPathEqualTo("/data/JSESSION"))
                .willReturn(aResponse().withStatus(200).withBody("0123456789ABCDEF0123456789ABCDEF")));
        xnat.stubFor(get(urlPathEqualTo("/data/histogram-probe")).willReturn(okJson("{}")));
        // Series of their own, so that the other test's exact counts stay exact.
        assertThat(gateway.call(XnatOperation.read("histogram probe", "/data/histogram-probe")).status())
                .isEqualTo(200);
        assertThat(rest.getForEntity("/health", String.class).getStatusCode().value()).isEqualTo(200);

        String metrics = scrape();

        for (String le : List.of("0.01", "0.1", "1.0", "2.5", "10.0", "25.0", "30.0", "+Inf")) {
            assertThat(sample(metrics, "xnat_client_requests_seconds_bucket",
                    "operation=\"GET /data/histogram-probe\",outcome=\"200\",le=\"" + le + "\"")).as("le=%s", le)
                    .isBetween(0.0, 1.0);
        }
        for (String le : List.of("0.025", "0.1", "1.0", "2.5", "10.0", "25.0", "30.0", "+Inf")) {
            assertThat(sample(metrics, "http_server_requests_seconds_bucket", "uri=\"/health\",le=\"" + le + "\""))
                    .as("le=%s", le).isGreaterThanOrEqualTo(0.0);
        }
        assertThat(sample(metrics, "xnat_client_requests_seconds_bucket",
                "operation=\"GET /data/histogram-probe\",outcome=\"200\",le=\"30.0\"")).isEqualTo(1.0);
        assertThat(sample(metrics, "http_server_requests_seconds_bucket", "uri=\"/health\",le=\"30.0\""))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(metrics).doesNotContainPattern("_seconds_bucket\\{[^}]*le=\"(6[0-9]|[1-9][0-9]{2,})\\.");
    }

    private static HttpEntity<Void> keyed() {
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-Trust-Internal-Service-Key", KEY);
        return new HttpEntity<>(headers);
    }

    /** The value of one Prometheus sample whose label set contains {@code labels}. */
    private static double sample(String exposition, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{(.*)\\} (\\S+)$").matcher(exposition);
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("No sample " + name + "{" + labels + "} in:\n" + exposition);
    }
}
