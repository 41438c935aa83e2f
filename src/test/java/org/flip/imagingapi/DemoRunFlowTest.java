package org.flip.imagingapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.flip.imagingapi.emulator.XnatOps;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/** What a newcomer sees on the first run: projects from the emulator, with one login. */
class DemoRunFlowTest extends EmulatorFlowTest {

    @Test
    void projectsComeFromTheEmulatorWithOneLoginForManyRequests() {
        for (int i = 0; i < 5; i++) {
            ResponseEntity<JsonNode> response = rest.exchange("/projects", HttpMethod.GET,
                    new HttpEntity<>(keyHeaders()), JsonNode.class);
            assertThat(response.getStatusCode().value()).isEqualTo(200);
            assertThat(response.getBody()).extracting(JsonNode::size).isNotEqualTo(0);
            assertThat(response.getBody().findValuesAsText("ID")).contains("NEURO_MRI_2024", "CHEST_XRAY");
        }
        assertThat(xnat.calls(XnatOps.LIST_PROJECTS)).isEqualTo(5);
        assertThat(xnat.logins()).isLessThanOrEqualTo(1);
    }

    @Test
    void anExpiredXnatSessionIsRenewedOnceAndTheCallSucceeds() {
        rest.exchange("/projects", HttpMethod.GET, new HttpEntity<>(keyHeaders()), JsonNode.class);
        xnat.resetCounters();
        xnat.expireAllSessions();

        ResponseEntity<JsonNode> response = rest.exchange("/projects", HttpMethod.GET,
                new HttpEntity<>(keyHeaders()), JsonNode.class);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(xnat.logins()).isEqualTo(1);
    }
}
