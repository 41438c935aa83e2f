package org.flip.imagingapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.flip.imagingapi.emulator.Seeds;
import org.flip.imagingapi.emulator.XnatEmulator;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * The reference service answered its collection paths with a trailing slash too, and its callers may
 * send one: every such path answers as it does without the slash (one filter trims it, no twin mappings).
 */
class TrailingSlashFlowTest extends EmulatorFlowTest {

    private ResponseEntity<JsonNode> call(HttpMethod method, String path, Object body, HttpHeaders headers) {
        return rest.exchange(path, method, new HttpEntity<>(body, headers), JsonNode.class);
    }

    @Test
    void theCollectionPathsAnswerWithATrailingSlash() {
        ResponseEntity<JsonNode> projects = call(HttpMethod.GET, "/projects/", null, keyHeaders());
        ResponseEntity<JsonNode> users = call(HttpMethod.GET, "/users/", null, keyHeaders());
        ResponseEntity<JsonNode> command = call(HttpMethod.GET, "/commands/?image=" + XnatEmulator.DCM2NIIX_IMAGE,
                null, keyHeaders());
        ResponseEntity<JsonNode> subscriptions = call(HttpMethod.GET,
                "/projects/" + Seeds.HUB + "/event-subscriptions/", null, keyHeaders());

        assertThat(projects.getStatusCode().value()).isEqualTo(200);
        assertThat(projects.getBody().findValuesAsText("ID")).contains(Seeds.NEURO);
        assertThat(users.getStatusCode().value()).isEqualTo(200);
        assertThat(users.getBody().findValuesAsText("username")).contains(Seeds.JSMITH);
        assertThat(command.getStatusCode().value()).isEqualTo(200);
        assertThat(command.getBody().get("image").asText()).isEqualTo(XnatEmulator.DCM2NIIX_IMAGE);
        assertThat(subscriptions.getStatusCode().value()).isEqualTo(200);
        assertThat(subscriptions.getBody().findValuesAsText("name")).contains(Seeds.SUBSCRIPTION_NAME);
    }

    @Test
    void writesWithATrailingSlashReachTheirHandlers() {
        ResponseEntity<JsonNode> project = call(HttpMethod.POST, "/projects/",
                Map.of("id", "SLASH_P1", "secondary_id", "slash-p1", "name", "Trailing slash"), keyHeaders());
        ResponseEntity<JsonNode> user = call(HttpMethod.POST, "/users/", Map.of("username", "slashuser",
                "password", "a-long-random-passphrase", "email", "slash.user@example.org", "firstName", "Slash",
                "lastName", "User"), keyHeaders());
        ResponseEntity<JsonNode> update = call(HttpMethod.PUT, "/users/",
                Map.of("email", "slash.user@example.org", "enabled", true), keyHeaders());
        ResponseEntity<JsonNode> subscription = call(HttpMethod.POST, "/projects/SLASH_P1/event-subscriptions/",
                Map.of(), keyHeaders());

        assertThat(project.getStatusCode().value()).isEqualTo(201);
        assertThat(xnat.state().project("SLASH_P1")).isPresent();
        assertThat(user.getStatusCode().value()).isEqualTo(201);
        assertThat(update.getStatusCode().value()).isEqualTo(200);
        assertThat(subscription.getStatusCode().value()).isEqualTo(201);
        assertThat(xnat.state().subscriptionsForProject("SLASH_P1")).hasSize(1);
    }

    @Test
    void healthWithATrailingSlashNeedsNoKey() {
        ResponseEntity<JsonNode> health = call(HttpMethod.GET, "/health/", null, new HttpHeaders());

        assertThat(health.getStatusCode().value()).isEqualTo(200);
        assertThat(health.getBody().get("status").asText()).isEqualTo("ok");
    }
}
