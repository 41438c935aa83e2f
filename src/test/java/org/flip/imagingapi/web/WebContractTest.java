package org.flip.imagingapi.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Cross-cutting rules of contract §1 over real HTTP: the key filter, problem bodies for every
 * error the service itself produces, JSON only, health, and actuator on the management port only
 * (random in tests: a RANDOM_PORT test moves a separate management port to a random one too).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebContractTest {

    @RegisterExtension
    static WireMockExtension xnat = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String KEY = "test-trust-key-5f0c2a9e4b7d1e3c8a6f";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void xnatProperties(DynamicPropertyRegistry registry) {
        registry.add("xnat.url", xnat::baseUrl);
        registry.add("xnat.service-user", () -> "svc");
        registry.add("xnat.service-password", () -> "pw");
        registry.add("trust.internal-service.key", () -> KEY);
    }

    @BeforeEach
    void xnatAnswers() {
        xnat.resetAll();
        xnat.stubFor(post("/data/JSESSION").willReturn(aResponse().withBody("0123456789ABCDEF0123456789ABCDEF")));
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(okJson(
                "{\"ResultSet\":{\"Result\":[{\"ID\":\"P1\",\"secondary_ID\":\"S1\",\"name\":\"One\","
                        + "\"description\":\"\",\"pi_firstname\":\"\",\"pi_lastname\":\"\",\"URI\":\"/data/projects/P1\"}]}}")));
        xnat.stubFor(get("/xapi/siteConfig/buildInfo").willReturn(okJson("{\"version\":\"1.9.3.6\"}")));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    private HttpRequest.Builder management(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + path));
    }

    private JsonNode problem(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = json.readTree(response.body());
        assertThat(body.has("type") && body.has("title") && body.has("status") && body.has("detail")
                && body.has("instance") && body.has("code")).as("problem fields in %s", body).isTrue();
        return body;
    }

    @Test
    void healthAnswersWithoutAKeyAndWithoutXnat() throws Exception {
        HttpResponse<String> response = send(request("/health"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("status").asText()).isEqualTo("ok");
        assertThat(body.get("version").asText()).isNotBlank();
        assertThat(xnat.getAllServeEvents()).isEmpty();
    }

    @Test
    void aMissingKeyIs401AndNoXnatCall() throws Exception {
        HttpResponse<String> response = send(request("/projects"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(problem(response).get("detail").asText()).contains("missing");
        assertThat(xnat.getAllServeEvents()).isEmpty();
    }

    @Test
    void aWrongKeyIs401AndNoXnatCall() throws Exception {
        HttpResponse<String> response = send(request("/projects").header("X-Trust-Internal-Service-Key", KEY + "x"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(problem(response).get("code").asText()).isEqualTo("unauthorized");
        assertThat(xnat.getAllServeEvents()).isEmpty();
    }

    @Test
    void theRightKeyReachesXnat() throws Exception {
        HttpResponse<String> response = send(request("/projects").header("X-Trust-Internal-Service-Key", KEY));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body()).get(0).get("ID").asText()).isEqualTo("P1");
    }

    @Test
    void aBrowserAcceptHeaderStillGetsJson() throws Exception {
        HttpResponse<String> response = send(request("/projects").header("X-Trust-Internal-Service-Key", KEY)
                .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).startsWith("[");
    }

    @Test
    void anAcceptOfProblemJsonGetsTheRealAnswerAsJsonAndErrorsAsProblems() throws Exception {
        HttpResponse<String> listing = send(request("/projects").header("X-Trust-Internal-Service-Key", KEY)
                .header("Accept", "application/problem+json"));
        HttpResponse<String> missing = send(request("/no/such/route").header("X-Trust-Internal-Service-Key", KEY)
                .header("Accept", "application/problem+json"));

        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(listing.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(json.readTree(listing.body()).get(0).get("ID").asText()).isEqualTo("P1");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(problem(missing).get("code").asText()).isEqualTo("not_found");
    }

    @Test
    void anAcceptThatAdmitsNeitherJsonNorProblemJsonIsA406Problem() throws Exception {
        HttpResponse<String> response = send(request("/projects").header("X-Trust-Internal-Service-Key", KEY)
                .header("Accept", "text/html"));

        assertThat(response.statusCode()).isEqualTo(406);
        assertThat(problem(response).get("code").asText()).isEqualTo("not_acceptable");
        assertThat(xnat.getAllServeEvents()).isEmpty();
    }

    @Test
    void everyProblemHasTheSameContentTypeWhoeverAnswersIt() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(1_100_000) + "\"}";
        List<HttpResponse<String>> problems = List.of(
                send(request("/projects")), // the key filter
                send(request("/projects").header("X-Trust-Internal-Service-Key", KEY)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(big))),
                send(request("/projects/P1;x=1").header("X-Trust-Internal-Service-Key", KEY)), // a filter
                send(request("/no/such/route").header("X-Trust-Internal-Service-Key", KEY)), // MVC
                send(request("/projects/a%00b").header("X-Trust-Internal-Service-Key", KEY))); // Tomcat

        assertThat(problems).extracting(HttpResponse::statusCode).containsExactly(401, 413, 400, 404, 400);
        assertThat(problems).allSatisfy(response -> assertThat(response.headers().allValues("Content-Type"))
                .containsExactly("application/problem+json"));
    }

    @Test
    void theYamlDocumentNeedsNoKeyLikeTheJsonOne() throws Exception {
        assertThat(send(request("/v3/api-docs.yaml")).statusCode()).isEqualTo(200);
        assertThat(send(request("/v3/api-docs")).statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownRouteIsA404Problem() throws Exception {
        HttpResponse<String> response = send(request("/no/such/route").header("X-Trust-Internal-Service-Key", KEY));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(problem(response).get("code").asText()).isEqualTo("not_found");
        assertThat(response.body()).doesNotContain("Whitelabel").doesNotContain("timestamp");
    }

    @Test
    void aWrongMethodIsA405Problem() throws Exception {
        HttpResponse<String> response = send(request("/health")
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(problem(response).get("code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void aBodyOverOneMegabyteIsA413Problem() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(1_100_000) + "\"}";
        HttpResponse<String> response = send(request("/projects").header("X-Trust-Internal-Service-Key", KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(big)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(problem(response).get("code").asText()).isEqualTo("payload_too_large");
        assertThat(xnat.getAllServeEvents()).isEmpty();
    }

    @Test
    void theRequestIdIsEchoedOrGenerated() throws Exception {
        HttpResponse<String> echoed = send(request("/health").header("X-Request-ID", "abc-123"));
        HttpResponse<String> generated = send(request("/health"));
        HttpResponse<String> hostile = send(request("/health").header("X-Request-ID", "a b\tc<script>"));

        assertThat(echoed.headers().firstValue("X-Request-ID")).contains("abc-123");
        assertThat(generated.headers().firstValue("X-Request-ID")).hasValueSatisfying(id -> assertThat(id).hasSize(36));
        assertThat(hostile.headers().firstValue("X-Request-ID")).hasValueSatisfying(
                id -> assertThat(id).doesNotContain("<"));
    }

    @Test
    void anXnatFailureIsA502ProblemNotXnatsStatus() throws Exception {
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "text/html").withBody("<html><h1>HTTP Status 401</h1></html>")));

        HttpResponse<String> response = send(request("/projects").header("X-Trust-Internal-Service-Key", KEY));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(problem(response).get("code").asText()).startsWith("xnat_");
    }

    @Test
    void livenessNeverAsksXnatAndReadinessDoesBothOnTheManagementPortWithoutAKey() throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        HttpResponse<String> liveness = send(management("/actuator/health/liveness"));
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(xnat.getAllServeEvents()).isEmpty();

        HttpResponse<String> readiness = send(management("/actuator/health/readiness"));
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(xnat.getAllServeEvents()).hasSize(1);
        assertThat(xnat.getAllServeEvents().get(0).getRequest().getUrl()).isEqualTo("/xapi/siteConfig/buildInfo");
    }

    /** Prometheus is there too (XnatMetricsTest: exporters are off in tests without @AutoConfigureObservability). */
    @Test
    void theManagementPortCarriesOnlyHealthInfoAndPrometheus() throws Exception {
        // Not /actuator/health itself: it would check XNAT, and the readiness test counts XNAT calls.
        for (String path : new String[] {"/actuator/health/liveness", "/actuator/info"}) {
            assertThat(send(management(path)).statusCode()).as(path).isEqualTo(200);
        }
        for (String path : new String[] {"/actuator", "/actuator/env", "/actuator/beans", "/actuator/heapdump",
                "/actuator/configprops", "/actuator/loggers", "/actuator/metrics", "/actuator/threaddump",
                "/actuator/shutdown", "/projects", "/health"}) {
            HttpResponse<String> response = send(management(path).header("X-Trust-Internal-Service-Key", KEY));
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(problem(response).get("code").asText()).as(path).isEqualTo("not_found");
        }
    }

    @Test
    void theApiPortCarriesNothingOfActuator() throws Exception {
        for (String path : new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/info",
                "/actuator/prometheus", "/actuator/env"}) {
            assertThat(send(request(path)).statusCode()).as(path + " without the key").isEqualTo(401);
            HttpResponse<String> keyed = send(request(path).header("X-Trust-Internal-Service-Key", KEY));
            assertThat(keyed.statusCode()).as(path).isEqualTo(404);
            assertThat(problem(keyed).get("code").asText()).isEqualTo("not_found");
        }
    }

    /** Issue 15: odd paths on the management port are 4xx problems, never a 500 or a stack trace. */
    @Test
    void oddPathsOnTheManagementPortAre400Or404Problems() throws Exception {
        for (String path : new String[] {"/actuator/health/a%2Fb", "/actuator/health/a/b", "/actuator/health/%00",
                "/actuator/health/..%2F..%2Fenv", "/actuator/health/a%5Cb", "/actuator/health/%25",
                "/actuator/%2e%2e/actuator/env", "/actuator/health/liveness/x",
                "/actuator/prometheus/x", "/actuator/info/" + "x".repeat(2000)}) {
            HttpResponse<String> response = send(management(path));

            assertThat(response.statusCode()).as(path).isIn(400, 404);
            assertThat(problem(response).get("status").asInt()).as(path).isEqualTo(response.statusCode());
            assertThat(response.body()).as(path).doesNotContain("Exception").doesNotContain("at org.")
                    .doesNotContain("<html");
        }
    }

    @Test
    void docsRedirectsToSwaggerUiWithoutAKey() throws Exception {
        HttpResponse<String> response = send(request("/docs"));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/swagger-ui/index.html"));
        assertThat(send(request("/swagger-ui/index.html")).statusCode()).isEqualTo(200);
    }

    @Test
    void theOpenApiDocumentDeclaresTheKeyAsAnApiKeyScheme() throws Exception {
        HttpResponse<String> response = send(request("/v3/api-docs"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode scheme = json.readTree(response.body()).at("/components/securitySchemes/trustKey");
        assertThat(scheme.get("type").asText()).isEqualTo("apiKey");
        assertThat(scheme.get("in").asText()).isEqualTo("header");
        assertThat(scheme.get("name").asText()).isEqualTo("X-Trust-Internal-Service-Key");
    }
}
