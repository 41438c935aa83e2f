package org.flip.imagingapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** No key configured: every protected route answers 401, health still answers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "xnat.url=http://127.0.0.1:9", "xnat.service-user=svc", "xnat.service-password=pw",
        "trust.internal-service.key="})
class FailClosedTest {

    @LocalServerPort
    int port;

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (key != null) {
            request.header("X-Trust-Internal-Service-Key", key);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutAConfiguredKeyEveryProtectedRouteIs401() throws Exception {
        for (String key : new String[] {"", "anything", null}) {
            HttpResponse<String> response = get("/projects", key);
            assertThat(response.statusCode()).isEqualTo(401);
        }
        assertThat(get("/projects", "anything").body()).contains("not configured");
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }
}
