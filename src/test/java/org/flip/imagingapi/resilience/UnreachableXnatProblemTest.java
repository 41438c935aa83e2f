package org.flip.imagingapi.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An XNAT that cannot be reached at all: the answer is a 503 whose detail says why in words
 * (the connection was refused, the host name does not resolve), never an exception's name.
 */
class UnreachableXnatProblemTest {

    static final String KEY = "test-trust-key-5f0c2a9e4b7d1e3c8a6f";

    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // closed again at once: nothing listens there
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void common(DynamicPropertyRegistry registry, String url) {
        registry.add("xnat.url", () -> url);
        registry.add("xnat.service-user", () -> "svc");
        registry.add("xnat.service-password", () -> "pw");
        registry.add("trust.internal-service.key", () -> KEY);
        registry.add("xnat.timeouts.connect", () -> "1s");
    }

    abstract static class Unreachable {
        @LocalServerPort
        int port;

        private final HttpClient http = HttpClient.newHttpClient();

        List<String[]> requests() {
            String hub = "{\"project_id\":\"" + UUID.randomUUID() + "\",\"trust_id\":\"" + UUID.randomUUID()
                    + "\",\"project_name\":\"Unreachable\",\"users\":[],\"dicom_to_nifti\":true}";
            return List.of(new String[] {"GET", "/projects", null}, new String[] {"GET", "/users", null},
                    new String[] {"GET", "/projects/P1/experiments", null},
                    new String[] {"POST", "/projects/create-project-from-central-hub-project", hub});
        }

        void everyAnswerSays(String words) throws Exception {
            for (String[] call : requests()) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + call[1]))
                        .header("X-Trust-Internal-Service-Key", KEY).header("Content-Type", "application/json")
                        .method(call[0], call[2] == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(call[2]));
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                String cell = call[0] + " " + call[1] + ": HTTP " + response.statusCode() + " " + response.body();

                assertThat(response.statusCode()).as(cell).isEqualTo(503);
                assertThat(response.headers().firstValue("Retry-After")).as(cell).isPresent();
                JsonNode problem = new ObjectMapper().readTree(response.body());
                assertThat(problem.path("code").asText()).as(cell).isEqualTo("xnat_unavailable");
                String detail = problem.path("detail").asText();
                assertThat(detail).as(cell).contains("XNAT is unreachable", words);
                ProblemDetailHygieneTest.assertClean(detail, cell);
                ProblemDetailHygieneTest.assertClean(problem.path("title").asText(), cell);
            }
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class ClosedPort extends Unreachable {
        @DynamicPropertySource
        static void xnat(DynamicPropertyRegistry registry) {
            common(registry, "http://127.0.0.1:" + closedPort());
        }

        @Test
        void theDetailSaysTheConnectionWasRefused() throws Exception {
            everyAnswerSays("the connection was refused");
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class UnresolvableHost extends Unreachable {
        @DynamicPropertySource
        static void xnat(DynamicPropertyRegistry registry) {
            // RFC 6761: names under .invalid never resolve.
            common(registry, "http://xnat.imaging-api.invalid:8080");
        }

        @Test
        void theDetailSaysTheHostNameDoesNotResolve() throws Exception {
            everyAnswerSays("its host name does not resolve");
        }
    }
}
