package org.flip.imagingapi.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.flip.imagingapi.xnat.XnatProjects;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/** An unexpected failure is a 500 problem whose detail says nothing internal. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "xnat.url=http://127.0.0.1:9", "xnat.service-user=svc", "xnat.service-password=pw",
        "trust.internal-service.key=unexpected-failure-key-4e9b2c7a1f5d"})
class UnexpectedFailureTest {

    @MockitoBean
    XnatProjects projects;

    @LocalServerPort
    int port;

    @Test
    void anUnexpectedExceptionIsA500WithNothingInternal() throws Exception {
        given(projects.list()).willThrow(new IllegalStateException("db password=hunter2 at com.example.Secret"));

        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/projects"))
                        .header("X-Trust-Internal-Service-Key", "unexpected-failure-key-4e9b2c7a1f5d").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode body = new ObjectMapper().readTree(response.body());
        assertThat(body.get("detail").asText()).isEqualTo("Internal server error");
        assertThat(body.get("code").asText()).isEqualTo("internal_error");
        assertThat(response.body()).doesNotContain("hunter2").doesNotContain("IllegalState").doesNotContain("com.example");
    }
}
