package org.flip.imagingapi.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

    private static List<String> names(JsonNode commands) {
        List<String> out = new ArrayList<>();
        commands.forEach(c -> out.add(c.path("name").asText()));
        return out;
    }

    @Test
    void readingCommandsNeedsNoRoleAndPublicCommandsAreSeenByEveryone() {
        xnat.addAccount("plain", "pw", false);

        var r = TestClient.basic(xnat, "plain", "pw").get("/xapi/commands");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(names(TestClient.json(r))).containsExactly("debug", "dcm2niix", "mriqc");
        assertThat(TestClient.json(r).get(1).path("visibility").asText()).isEqualTo("public");
    }

    @Test
    void aPrivateCommandNotYetEnabledInAProjectIsHiddenWithoutContainerManagerEvenFromAnAdministrator() {
        xnat.state().setCommandVisibility(commandId, Command.PRIVATE);
        xnat.state().setWrapperEnabledForProject(Seeds.HUB, wrapperId, false);
        xnat.setRole(XnatEmulator.SERVICE_USER, User.CONTAINER_MANAGER, false);
        String byImage = "/xapi/commands?image=" + URLEncoder.encode(XnatEmulator.DCM2NIIX_IMAGE,
                StandardCharsets.UTF_8);

        var filtered = admin.get(byImage);
        var one = admin.get("/xapi/commands/" + commandId);

        assertThat(filtered.statusCode()).isEqualTo(200);
        assertThat(TestClient.json(filtered)).isEmpty();
        assertThat(names(TestClient.json(admin.get("/xapi/commands")))).containsExactly("debug", "mriqc");
        assertThat(one.statusCode()).as("a hidden command is an empty 200, not a 403 or 404").isEqualTo(200);
        assertThat(one.body()).isEmpty();
        xnat.setRole(XnatEmulator.SERVICE_USER, User.CONTAINER_MANAGER, true);
        assertThat(TestClient.json(admin.get(byImage)).get(0).path("visibility").asText()).isEqualTo("private");
    }

    @Test
    void aPrivateCommandEnabledInAProjectIsSeenByThoseWhoCanReadTheProject() {
        xnat.state().setCommandVisibility(commandId, Command.PRIVATE);
        xnat.addAccount("plain", "pw", false);

        // the demo enables dcm2niix for the hub project, of which jsmith is a member
        assertThat(names(TestClient.json(TestClient.basic(xnat, "jsmith", "jsmith-password").get("/xapi/commands"))))
                .contains("dcm2niix");
        assertThat(names(TestClient.json(TestClient.basic(xnat, "plain", "pw").get("/xapi/commands"))))
                .doesNotContain("dcm2niix");
        assertThat(admin.put("/xapi/users/plain/roles/ContainerManager", null, null).statusCode()).isEqualTo(200);
        assertThat(names(TestClient.json(TestClient.basic(xnat, "plain", "pw").get("/xapi/commands"))))
                .contains("dcm2niix");
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
    void theProjectEnablementReportIsFalseForTheProjectWhileTheWrapperIsDisabledSiteWide() {
        String path = "/xapi/projects/CHEST_XRAY/commands/" + commandId + "/wrappers/dcm2niix-scan/enabled";
        admin.put(path, null, null);
        xnat.state().setWrapperEnabledForSite(wrapperId, false);

        var status = TestClient.json(admin.get(path));

        // ContainerConfigServiceImpl.isEnabledForProject: site-wide disabled wins over the project's own setting
        assertThat(status.path("enabled-for-site").asBoolean()).isFalse();
        assertThat(status.path("enabled-for-project").asBoolean()).isFalse();
        assertThat(status.path("project").asText()).isEqualTo("CHEST_XRAY");
        assertThat(xnat.state().enabledWrappersForProject("CHEST_XRAY")).contains(wrapperId);
        xnat.state().setWrapperEnabledForSite(wrapperId, true);
        assertThat(TestClient.json(admin.get(path)).path("enabled-for-project").asBoolean()).isTrue();
        xnat.addAccount("reader", "reader-password", false);
        var reader = TestClient.basic(xnat, "reader", "reader-password");
        assertThat(reader.get(path).statusCode()).as("protected project, no Edit access").isEqualTo(401);
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
        // SubscriptionAccessException("Event Service disabled.") through XapiRestControllerAdvice.handleThrowable
        assertThat(r.body()).isEqualTo("There was an error in the request : Event Service disabled.");
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        assertThat(TestClient.json(admin.get("/xapi/events/prefs")).path("enabled").asBoolean()).isFalse();
    }

    @Test
    void whileTheEventServiceIsDisabledTheListingIs500AndActingOnASubscriptionIs405() {
        long id = xnat.state().subscriptionsForProject(Seeds.HUB).get(0).id();
        String base = "/xapi/projects/" + Seeds.HUB + "/events/subscription/";

        assertThat(admin.putJson("/xapi/events/prefs", "{\"enabled\":false}").statusCode()).isEqualTo(200);
        var listing = admin.get("/xapi/projects/" + Seeds.HUB + "/events/subscriptions");

        assertThat(listing.statusCode()).isEqualTo(500);
        assertThat(listing.body()).isEqualTo("There was an error in the request : null");
        assertThat(listing.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        for (var r : List.of(admin.post(base + id + "/activate", null, null),
                admin.post(base + id + "/deactivate", null, null), admin.delete(base + id), admin.get(base + id),
                admin.delete(base + 9999))) {
            assertThat(r.statusCode()).isEqualTo(405);
            assertThat(r.body()).isEqualTo("There was an error in the request : Event Service disabled.");
        }
        assertThat(xnat.state().subscription(id)).get().extracting(Subscription::active).isEqualTo(true);
        assertThat(admin.putJson("/xapi/events/prefs", "{\"enabled\":true}").statusCode()).isEqualTo(200);
        assertThat(TestClient.json(admin.get("/xapi/projects/" + Seeds.HUB + "/events/subscriptions"))).hasSize(1);
        assertThat(admin.delete(base + 9999).statusCode()).isEqualTo(404);
    }

    @Test
    void siteWideSubscriptionsAreListedUnderEveryProjectButProjectRoutesMayNotActOnThem() {
        Subscription siteWide = xnat.seedSiteWideSubscription(Seeds.SUBSCRIPTION_NAME);
        String base = "/xapi/projects/CHEST_XRAY/events/subscription/" + siteWide.id();

        JsonNode chest = TestClient.json(admin.get("/xapi/projects/CHEST_XRAY/events/subscriptions"));
        JsonNode hub = TestClient.json(admin.get("/xapi/projects/" + Seeds.HUB + "/events/subscriptions"));

        assertThat(chest).hasSize(1);
        assertThat(chest.get(0).path("event-filter").path("project-ids")).isEmpty();
        assertThat(chest.get(0).path("editable").asBoolean()).isFalse();
        assertThat(chest.get(0).path("valid").asBoolean()).isTrue();
        assertThat(hub).hasSize(2);
        String refusal = "Unauthorized.\nimaging-api not authorized to modify subscriptions for project(s): Site";
        for (var r : List.of(admin.post(base + "/deactivate", null, null), admin.post(base + "/activate", null, null),
                admin.delete(base))) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEqualTo(refusal);
        }
        assertThat(xnat.state().subscription(siteWide.id())).get().extracting(Subscription::active).isEqualTo(true);
        assertThat(admin.get(base).statusCode()).as("reading one is allowed").isEqualTo(200);
    }

    @Test
    void aProjectRouteCannotCreateASiteWideSubscriptionNorActOnAnotherProjectsOne() {
        admin.put("/xapi/projects/CHEST_XRAY/wrappers/" + wrapperId + "/enabled", null, null);
        String siteWide = subscription("CHEST_XRAY", wrapperId, "true", FILTER)
                .replace("\"project-ids\":[\"CHEST_XRAY\"],", "");
        long hubs = xnat.state().subscriptionsForProject(Seeds.HUB).get(0).id();

        var create = admin.postJson("/xapi/projects/CHEST_XRAY/events/subscription", siteWide);
        var foreign = admin.post("/xapi/projects/CHEST_XRAY/events/subscription/" + hubs + "/deactivate", null, null);
        var read = admin.get("/xapi/projects/CHEST_XRAY/events/subscription/" + hubs);

        assertThat(create.statusCode()).isEqualTo(401);
        assertThat(create.body()).endsWith("not authorized to modify subscriptions for project(s): Site");
        assertThat(foreign.statusCode()).isEqualTo(401);
        assertThat(foreign.body()).endsWith("for project(s): " + Seeds.HUB);
        assertThat(read.statusCode()).isEqualTo(401);
        assertThat(read.body()).isEqualTo("Unauthorized.\nimaging-api not authorized to read subscriptions for other "
                + "projects");
    }

    @Test
    void subscriptionsMadeByOthersAreListedWithTheirOwnNameAndOwner() {
        Subscription reference = xnat.seedProjectSubscription("CHEST_XRAY", Seeds.SUBSCRIPTION_NAME,
                XnatEmulator.SERVICE_USER);
        Subscription byAdmin = xnat.seedProjectSubscription("CHEST_XRAY", "dcm2niix on upload", "admin");

        JsonNode list = TestClient.json(admin.get("/xapi/projects/CHEST_XRAY/events/subscriptions"));

        assertThat(list).hasSize(2);
        assertThat(names(list)).containsExactly(Seeds.SUBSCRIPTION_NAME, "dcm2niix on upload");
        for (JsonNode s : list) {
            assertThat(s.path("action-key").asText()).isEqualTo(Xapi.ACTION_PROVIDER + ":" + wrapperId);
            assertThat(s.path("event-filter").path("event-type").asText())
                    .isEqualTo("org.nrg.xnat.eventservice.events.ScanEvent");
            assertThat(s.path("event-filter").path("status").asText()).isEqualTo("CREATED");
            assertThat(s.path("event-filter").path("payload-filter").asText()).isEqualTo(FILTER);
            assertThat(s.path("active").asBoolean()).isTrue();
            assertThat(s.path("valid").asBoolean()).isTrue();
            assertThat(s.path("editable").asBoolean()).isTrue();
        }
        assertThat(list.get(0).path("id").asLong()).isEqualTo(reference.id());
        assertThat(list.get(1).path("subscription-owner").asText()).isEqualTo("admin");
        assertThat(byAdmin.projectIds()).containsExactly("CHEST_XRAY");
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
