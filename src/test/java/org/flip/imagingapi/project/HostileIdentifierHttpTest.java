package org.flip.imagingapi.project;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Hostile identifiers over real HTTP (Tomcat's own decoding and normalisation included, which
 * MockMvc skips): every one is a 4xx and XNAT never hears of it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileIdentifierHttpTest {

    @RegisterExtension
    static WireMockExtension xnat = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String KEY = "test-trust-key-5f0c2a9e4b7d1e3c8a6f";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void xnatProperties(DynamicPropertyRegistry registry) {
        registry.add("xnat.url", xnat::baseUrl);
        registry.add("xnat.service-user", () -> "svc");
        registry.add("xnat.service-password", () -> "pw");
        registry.add("trust.internal-service.key", () -> KEY);
    }

    @Test
    void hostileProjectAndExperimentIdentifiersAre4xxWithoutAnyXnatCall() throws Exception {
        xnat.stubFor(post("/data/JSESSION").willReturn(aResponse().withBody("0123456789ABCDEF0123456789ABCDEF")));
        HttpClient http = HttpClient.newHttpClient();
        List<String> hostile = List.of("..", "%2e%2e", "%2E%2E", "a%2Fb", "a%20b", "a".repeat(300), "a;b", "P1;x=1",
                "a%3Bb", "%00");
        for (String bad : hostile) {
            for (String path : List.of("/projects/" + bad, "/projects/" + bad + "/subjects",
                    "/projects/" + bad + "/experiments", "/projects/P1/experiments/" + bad,
                    "/projects/P1/experiment/" + bad, "/projects/P1/experiments/" + bad + "/subject")) {
                for (String method : List.of("GET", "DELETE")) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                            .header("X-Trust-Internal-Service-Key", KEY)
                            .method(method, HttpRequest.BodyPublishers.noBody()).build();
                    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    assertThat(status).as(method + " " + path).isBetween(400, 499);
                }
            }
            HttpRequest put = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/projects/" + bad
                            + "/prearchive-code")).header("X-Trust-Internal-Service-Key", KEY)
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"code\":4}"))
                    .build();
            assertThat(http.send(put, HttpResponse.BodyHandlers.discarding()).statusCode()).as("PUT " + bad)
                    .isBetween(400, 499);
        }
        assertThat(xnat.getAllServeEvents()).isEmpty();
    }
}
