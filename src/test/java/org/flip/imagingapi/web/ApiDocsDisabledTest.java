package org.flip.imagingapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code API_DOCS_ENABLED=false} (mapped in application.yml) takes the document, Swagger UI and the
 * reference's {@code /docs} redirect away.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "xnat.url=http://127.0.0.1:9", "xnat.service-user=svc", "xnat.service-password=pw",
        "trust.internal-service.key=" + ApiDocsDisabledTest.KEY, "API_DOCS_ENABLED=false"})
class ApiDocsDisabledTest {

    static final String KEY = "docs-off-key-2b7e9c1d4f6a8e0b3c5d";

    @LocalServerPort
    int port;

    private HttpResponse<String> get(String path, boolean withKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (withKey) {
            request.header("X-Trust-Internal-Service-Key", KEY);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDocumentAndSwaggerUiAreNotFoundProblems() throws Exception {
        for (String path : new String[] {"/v3/api-docs", "/v3/api-docs/swagger-config", "/swagger-ui/index.html",
                "/swagger-ui.html", "/docs"}) {
            for (boolean withKey : new boolean[] {false, true}) {
                HttpResponse<String> response = get(path, withKey);

                assertThat(response.statusCode()).as("%s with key %s", path, withKey).isEqualTo(404);
                assertThat(response.headers().firstValue("Content-Type")).as(path)
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
                assertThat(new ObjectMapper().readTree(response.body()).get("code").asText()).isEqualTo("not_found");
            }
        }
    }

    @Test
    void theApiItselfStillAnswers() throws Exception {
        assertThat(get("/health", false).statusCode()).isEqualTo(200);
        assertThat(get("/projects", false).statusCode()).isEqualTo(401);
    }
}
