package org.flip.imagingapi.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The demo's drifted hub project, as XNAT's own routes show it (the audit examples rely on it). */
class XnatEmulatorAuditDriftSeedTest extends DemoEmulatorTest {

    @Test
    void theDriftedProjectIsReadBackAsXnatWouldShowIt() {
        xnat.seedDemoScratch();
        Subscription subscription = xnat.seedDemoAuditDrift();

        assertThat(subscription.id()).as("the id the documented examples name").isEqualTo(3);
        assertThat(admin.get("/data/projects/" + Seeds.DRIFT + "/prearchive_code").body()).isEqualTo("0");
        var enabled = TestClient.json(admin.get("/xapi/projects/" + Seeds.DRIFT
                + "/commands/2/wrappers/dcm2niix-scan/enabled"));
        assertThat(enabled.path("enabled-for-site").asBoolean()).isTrue();
        assertThat(enabled.path("enabled-for-project").asBoolean()).isFalse();
        var listed = TestClient.json(admin.get("/xapi/projects/" + Seeds.DRIFT + "/events/subscriptions"));
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("active").asBoolean()).isFalse();
        assertThat(xnat.state().projectMembers(Seeds.DRIFT)).containsEntry("admin", "Members")
                .containsEntry("jsmith", "Members").containsEntry(XnatEmulator.SERVICE_USER, "Owners");
        assertThat(TestClient.json(admin.get("/xapi/users/roles/Administrator")).toString()).contains("\"admin\"");
    }
}
