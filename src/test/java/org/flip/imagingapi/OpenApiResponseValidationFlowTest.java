package org.flip.imagingapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * The check every flow test's answers go through ({@link OpenApiResponseValidation}) catches drift:
 * a real answer passes, and the same answer with one thing the document does not declare fails.
 */
class OpenApiResponseValidationFlowTest extends EmulatorFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    private ResponseEntity<String> get(String path) {
        return rest.exchange(path, HttpMethod.GET, new HttpEntity<>(keyHeaders()), String.class);
    }

    private ValidationReport check(String path, ResponseEntity<String> answer, Consumer<ObjectNode> change)
            throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(answer.getBody());
        change.accept(body);
        return check(path, answer.getStatusCode().value(), answer.getHeaders(), body.toString());
    }

    private ValidationReport check(String path, int status, HttpHeaders headers, String body) {
        return OpenApiResponseValidation.check(URI.create("http://localhost:" + port), "GET", path, status, headers,
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRealAnswerAndARealProblemConform() throws Exception {
        ResponseEntity<String> project = get("/projects/NEURO_MRI_2024");
        ResponseEntity<String> missing = get("/projects/NO_SUCH_PROJECT");

        assertThat(check("/projects/NEURO_MRI_2024", project, body -> { }).getMessages()).isEmpty();
        assertThat(check("/projects/NO_SUCH_PROJECT", missing, body -> { }).getMessages()).isEmpty();
    }

    @Test
    void aMemberTheDocumentDoesNotDeclareFails() throws Exception {
        ResponseEntity<String> project = get("/projects/NEURO_MRI_2024");

        assertThat(check("/projects/NEURO_MRI_2024", project, body -> body.put("owner", "x")).hasErrors()).isTrue();
    }

    @Test
    void aMissingOrNullRequiredMemberFails() throws Exception {
        ResponseEntity<String> project = get("/projects/NEURO_MRI_2024");

        assertThat(check("/projects/NEURO_MRI_2024", project, body -> body.remove("URI")).hasErrors()).isTrue();
        assertThat(check("/projects/NEURO_MRI_2024", project, body -> body.putNull("ID")).hasErrors()).isTrue();
        assertThat(check("/projects/NEURO_MRI_2024", project, body -> body.putNull("description")).hasErrors())
                .as("description is nullable").isFalse();
    }

    @Test
    void aProblemCodeOutsideTheListOrAnUndeclaredStatusFails() throws Exception {
        ResponseEntity<String> missing = get("/projects/NO_SUCH_PROJECT");

        assertThat(check("/projects/NO_SUCH_PROJECT", missing, body -> body.put("code", "gone")).hasErrors()).isTrue();
        assertThat(check("/projects/NO_SUCH_PROJECT", 409, missing.getHeaders(), missing.getBody()).hasErrors())
                .isTrue();
    }
}
