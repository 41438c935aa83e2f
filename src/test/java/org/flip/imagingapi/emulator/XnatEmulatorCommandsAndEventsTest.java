package org.flip.imagingapi.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class XnatEmulatorCommandsAndEventsTest extends DemoEmulatorTest {

    private long commandId;
    private long wrapperId;

    @BeforeEach
    void setUp() {
        JsonNode cmd = TestClient.json(admin.get("/xapi/commands?image="
                + URLEncoder.encode(XnatEmulator.DCM2NIIX_IMAGE, StandardCharsets.UTF_8))).get(0);
        commandId = cmd.path("id").asLong();
        wrapperId = cmd.path("xnat").get(0).path("id").asLong();
    }

    private String subscription(String project, long actionWrapperId, String activeJson, String payloadFilter) {
        return "{\"name\":\"DICOM-NIfTI Conversion\","
                + "\"event-selector\":\"org.nrg.xnat.eventservice.events.ScanEvent:CREATED\","
                + "\"action-key\":\"org.nrg.containers.services.CommandActionProvider:" + actionWrapperId + "\","
                + "\"attributes\":{}," + (activeJson == null ? "" : "\"active\":" + activeJson + ",")
                + "\"event-filter\":{\"event-type\":\"org.nrg.xnat.eventservice.events.ScanEvent\","
                + "\"status\":\"CREATED\",\"project-ids\":[\"" + project + "\"],"
                + "\"payload-filter\":" + TestClient.JSON.valueToTree(payloadFilter) + "},"
                + "\"act-as-event-user\":false}";
    }

    private static final String FILTER = "(@.resources.length() > 0 && \"DICOM\" in @.resources[*].label)";

    @Test
    void theDemoDcm2niixCommandIsFoundByExactImageAndItsIdDiffersFromItsWrapperId() {
        JsonNode cmd = TestClient.json(admin.get("/xapi/commands?name=dcm2niix")).get(0);

        assertThat(cmd.path("image").asText()).isEqualTo(XnatEmulator.DCM2NIIX_IMAGE);
        assertThat(cmd.path("xnat").get(0).path("name").asText()).isEqualTo("dcm2niix-scan");
        assertThat(commandId).isNotEqualTo(wrapperId);
        assertThat(xnat.state().isWrapperEnabledForSite(wrapperId)).isTrue();
    }

    @Test
    void anUnmatchedImageGivesAnEmptyArray() {
        var r = admin.get("/xapi/commands?image=ghcr.io/londonaicentre/xnat-dcm2niix:latest");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestClient.json(r)).isEmpty();
    }

    @Test
    void callersWithoutContainerManagerGet403WithAnEmptyBody() {
        xnat.addAccount("plain", "pw", false);

        var r = TestClient.basic(xnat, "plain", "pw").get("/xapi/commands");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void grantingContainerManagerThroughTheRolesApiOpensTheCommandRegistry() {
        xnat.addAccount("plain", "pw", false);
        assertThat(admin.put("/xapi/users/plain/roles/ContainerManager", null, null).statusCode()).isEqualTo(200);

        assertThat(TestClient.basic(xnat, "plain", "pw").get("/xapi/commands").statusCode()).isEqualTo(200);
        assertThat(TestClient.json(admin.get("/xapi/users/plain/roles")).get(0).asText())
                .isEqualTo("ContainerManager");
    }

    @Test
    void registeringACommandAnswers201WithTheNewId() {
        var r = admin.postJson("/xapi/commands", "{\"name\":\"other\",\"image\":\"x/other:1\",\"version\":\"1\","
                + "\"xnat\":[{\"name\":\"other-session\",\"contexts\":[\"xnat:imageSessionData\"]}]}");

        assertThat(r.statusCode()).isEqualTo(201);
        long id = Long.parseLong(r.body());
        assertThat(xnat.state().command(id).orElseThrow().wrappers()).extracting(Wrapper::name)
                .containsExactly("other-session");
    }

    @Test
    void enablingAWrapperForAProjectByNameIs200AndUnknownsAre404() {
        var ok = admin.put("/xapi/projects/CHEST_XRAY/commands/" + commandId + "/wrappers/dcm2niix-scan/enabled",
                null, null);

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEmpty();
        assertThat(xnat.state().enabledWrappersForProject("CHEST_XRAY")).contains(wrapperId);
        var unknownWrapper = admin.put("/xapi/projects/CHEST_XRAY/commands/" + commandId + "/wrappers/nope/enabled",
                null, null);
        assertThat(unknownWrapper.statusCode()).isEqualTo(404);
        assertThat(unknownWrapper.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        assertThat(admin.put("/xapi/projects/NOPE/commands/" + commandId + "/wrappers/dcm2niix-scan/enabled",
                null, null).statusCode()).isEqualTo(404);
        var status = TestClient.json(admin.get("/xapi/projects/CHEST_XRAY/commands/" + commandId
                + "/wrappers/dcm2niix-scan/enabled"));
        assertThat(status.path("enabled-for-project").asBoolean()).isTrue();
        assertThat(status.path("enabled-for-site").asBoolean()).isTrue();
    }

    @Test
    void creatingASubscriptionAnswers201WithNameColonIdAsText() {
        admin.put("/xapi/projects/CHEST_XRAY/wrappers/" + wrapperId + "/enabled", null, null);

        var r = admin.postJson("/xapi/projects/CHEST_XRAY/events/subscription",
                subscription("CHEST_XRAY", wrapperId, "true", FILTER));

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        assertThat(r.body()).matches("DICOM-NIfTI Conversion:\\d+");
        Subscription s = xnat.state().subscriptionsForProject("CHEST_XRAY").get(0);
        assertThat(s.active()).isTrue();
        assertThat(s.owner()).isEqualTo("imaging-api");
        assertThat(r.body()).endsWith(":" + s.id());
    }

    @Test
    void duplicateSubscriptionNamesAreAllowed() {
        admin.put("/xapi/projects/CHEST_XRAY/wrappers/" + wrapperId + "/enabled", null, null);
        String body = subscription("CHEST_XRAY", wrapperId, "true", FILTER);

        assertThat(admin.postJson("/xapi/projects/CHEST_XRAY/events/subscription", body).statusCode())
                .isEqualTo(201);
        assertThat(admin.postJson("/xapi/projects/CHEST_XRAY/events/subscription", body).statusCode())
                .isEqualTo(201);
        assertThat(xnat.state().subscriptionsForProject("CHEST_XRAY")).hasSize(2);
    }

    @Test
    void aWrapperNotEnabledForTheProjectFailsValidationWith424() {
        var r = admin.postJson("/xapi/projects/CHEST_XRAY/events/subscription",
                subscription("CHEST_XRAY", wrapperId, "true", FILTER));

        assertThat(r.statusCode()).isEqualTo(424);
        assertThat(r.body()).startsWith("Subscription format failed to validate.\n");
        assertThat(xnat.state().subscriptionsForProject("CHEST_XRAY")).isEmpty();
    }

    @Test
    void usingTheCommandIdInsteadOfTheWrapperIdFails() {
        admin.put("/xapi/projects/CHEST_XRAY/wrappers/" + wrapperId + "/enabled", null, null);

        var r = admin.postJson("/xapi/projects/CHEST_XRAY/events/subscription",
                subscription("CHEST_XRAY", commandId, "true", FILTER));

        assertThat(r.statusCode()).isEqualTo(424);
    }

    @Test
    void aPayloadFilterStartingWithDollarFailsWith424() {
        admin.put("/xapi/projects/CHEST_XRAY/wrappers/" + wrapperId + "/enabled", null, null);

        var r = admin.postJson("/xapi/projects/CHEST_XRAY/events/subscription",
                subscription("CHEST_XRAY", wrapperId, "true", "$[?(@.x)]"));

        assertThat(r.statusCode()).isEqualTo(424);
    }

    @Test
    void anUnbalancedPayloadFilterFailsWith424() {
        admin.put("/xapi/projects/CHEST_XRAY/wrappers/" + wrapperId + "/enabled", null, null);

        var r = admin.postJson("/xapi/projects/CHEST_XRAY/events/subscription",
                subscription("CHEST_XRAY", wrapperId, "true", "(@.resources.length() > 0"));

        assertThat(r.statusCode()).isEqualTo(424);
    }

    @Test
    void subscribingForAnotherProjectsIdsIs401() {
        xnat.addAccount("owner", "pw", false);
        xnat.state().addMember("CHEST_XRAY", "owner", ProjectGroup.OWNERS);
        admin.put("/xapi/projects/CHEST_XRAY/wrappers/" + wrapperId + "/enabled", null, null);
        String body = subscription("CHEST_XRAY", wrapperId, "true", FILTER)
                .replace("\"project-ids\":[\"CHEST_XRAY\"]", "\"project-ids\":[\"CHEST_XRAY\",\"" + Seeds.NEURO + "\"]");

        var r = TestClient.basic(xnat, "owner", "pw").postJson("/xapi/projects/CHEST_XRAY/events/subscription", body);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).startsWith("Unauthorized.");
    }

    @Test
    void aMissingActiveFlagFailsToSave() {
        admin.put("/xapi/projects/CHEST_XRAY/wrappers/" + wrapperId + "/enabled", null, null);

        var r = admin.postJson("/xapi/projects/CHEST_XRAY/events/subscription",
                subscription("CHEST_XRAY", wrapperId, null, FILTER));

        assertThat(r.statusCode()).isEqualTo(424);
        assertThat(r.body()).isEqualTo("Failed to create subscription.");
    }

    @Test
    void aDisabledEventServiceAnswers405() {
        xnat.setEventServiceEnabled(false);

        var r = admin.postJson("/xapi/projects/" + Seeds.HUB + "/events/subscription",
                subscription(Seeds.HUB, wrapperId, "true", FILTER));

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.body()).isEqualTo("Event Service disabled.");
        assertThat(TestClient.json(admin.get("/xapi/events/prefs")).path("enabled").asBoolean()).isFalse();
    }

    @Test
    void subscriptionsAreListedAndCanBeToggledAndDeleted() {
        JsonNode list = TestClient.json(admin.get("/xapi/projects/" + Seeds.HUB + "/events/subscriptions"));
        assertThat(list).hasSize(1);
        JsonNode s = list.get(0);
        assertThat(s.path("action-key").asText()).endsWith(":" + wrapperId);
        assertThat(s.path("event-filter").path("event-type").asText())
                .isEqualTo("org.nrg.xnat.eventservice.events.ScanEvent");
        assertThat(s.path("event-filter").path("project-ids").get(0).asText()).isEqualTo(Seeds.HUB);
        assertThat(s.path("act-as-event-user").asBoolean()).isFalse();
        assertThat(s.path("editable").asBoolean()).isTrue();
        assertThat(s.path("valid").asBoolean()).isTrue();
        long id = s.path("id").asLong();
        String base = "/xapi/projects/" + Seeds.HUB + "/events/subscription/" + id;

        assertThat(admin.post(base + "/deactivate", null, null).statusCode()).isEqualTo(200);
        assertThat(xnat.state().subscription(id).orElseThrow().active()).isFalse();
        assertThat(admin.post(base + "/activate", null, null).statusCode()).isEqualTo(200);
        assertThat(xnat.state().subscription(id).orElseThrow().active()).isTrue();
        assertThat(admin.get(base).statusCode()).isEqualTo(200);
        assertThat(admin.delete(base).statusCode()).isEqualTo(204);
        assertThat(admin.delete(base).statusCode()).isEqualTo(404);
        assertThat(admin.post(base + "/activate", null, null).statusCode()).isEqualTo(404);
    }
}
