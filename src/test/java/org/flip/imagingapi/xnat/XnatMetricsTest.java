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
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Operators read XNAT's latency and the service account's logins on /actuator/prometheus. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false)
class XnatMetricsTest {

    private static final String KEY = "metrics-test-key";

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

        ResponseEntity<String> scrape = rest.exchange("/actuator/prometheus", HttpMethod.GET, keyed(), String.class);
        assertThat(scrape.getStatusCode().value()).isEqualTo(200);
        String metrics = scrape.getBody();

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
    void prometheusNeedsTheTrustKeyLikeEveryOtherOperationalRoute() {
        assertThat(rest.getForEntity("/actuator/prometheus", String.class).getStatusCode().value()).isEqualTo(401);
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
