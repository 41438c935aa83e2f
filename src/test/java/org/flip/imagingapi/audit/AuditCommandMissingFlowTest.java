package org.flip.imagingapi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flip.imagingapi.EmulatorFlowTest;
import org.flip.imagingapi.emulator.Seeds;
import org.flip.imagingapi.emulator.XnatOps;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/**
 * DCM2NIIX_IMAGE pinned to an image XNAT has no command for (a new pin deployed before the command
 * was registered): the audit says so with the registry's diagnosis, and what depends on the command
 * is unknown rather than guessed.
 */
@TestPropertySource(properties = "provisioning.dcm2niix-image=" + AuditCommandMissingFlowTest.UNREGISTERED)
class AuditCommandMissingFlowTest extends EmulatorFlowTest {

    static final String UNREGISTERED = "ghcr.io/londonaicentre/xnat-dcm2niix:v1.1.0";

    @Test
    void aCommandMissingAtTheConfiguredImageIsADriftForAnAdministratorAndItsDependentsAreUnknown() {
        ResponseEntity<JsonNode> response = rest.exchange("/projects/" + Seeds.HUB + "/audit", HttpMethod.GET,
                new HttpEntity<>(keyHeaders()), JsonNode.class);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        JsonNode report = response.getBody();
        Map<String, JsonNode> checks = new LinkedHashMap<>();
        report.get("checks").forEach(c -> checks.put(c.get("check").asText(), c));
        assertThat(report.get("status").asText()).isEqualTo("drift");
        assertThat(checks.get("command").get("status").asText()).isEqualTo("drift");
        assertThat(checks.get("command").get("expected").asText()).contains(UNREGISTERED);
        assertThat(checks.get("command").get("found").asText()).contains("No commands found for container")
                .contains("xnat-dcm2niix:v1.0.20260724");
        assertThat(checks.get("command").get("fix").asText()).contains("XNAT administrator registers the command");
        for (String dependent : new String[] {"wrapper_enabled", "subscription", "subscription_active",
                "site_wide_subscription"}) {
            assertThat(checks.get(dependent).get("status").asText()).as(dependent).isEqualTo("unknown");
        }
        assertThat(checks.get("prearchive_code").get("status").asText()).isEqualTo("ok");
        // project, twins, prearchive code, the command and the registry for the diagnosis, members, administrators
        assertThat(xnat.totalCalls() - xnat.logins()).as("%s", xnat.callCounts()).isEqualTo(7);
        assertThat(xnat.calls(XnatOps.LIST_COMMANDS)).isEqualTo(2);
        assertThat(xnat.calls(XnatOps.LIST_SUBSCRIPTIONS)).isZero();
    }
}
