package org.flip.imagingapi.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.flip.imagingapi.project.ProjectProvisioning;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flip.imagingapi.EmulatorFlowTest;
import org.flip.imagingapi.emulator.Command;
import org.flip.imagingapi.emulator.Fault;
import org.flip.imagingapi.emulator.Seeds;
import org.flip.imagingapi.emulator.Subscription;
import org.flip.imagingapi.emulator.User;
import org.flip.imagingapi.emulator.XnatEmulator;
import org.flip.imagingapi.emulator.XnatOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * Issue 13 points 3 to 6 end to end, through our HTTP API against the emulator's real-XNAT
 * behaviours: a disabled event service (the listing's 500, the 405s), site-wide subscriptions,
 * subscriptions others made, and a command hidden from an account without ContainerManager.
 */
class RealXnatSubscriptionFlowTest extends EmulatorFlowTest {

    private static final String PROVISION = "/projects/create-project-from-central-hub-project";
    /** What XNAT's controller advice renders for the event service's 405 (xnat-rest-behaviour §8). */
    private static final String DISABLED_405 = "There was an error in the request : Event Service disabled.";

    private Long siteWide;

    @AfterEach
    void restore() {
        xnat.setEventServiceEnabled(true);
        if (siteWide != null) {
            // Listed under every project: it must not outlive the test.
            xnat.state().deleteSubscription(siteWide);
            siteWide = null;
        }
        xnat.setRole(XnatEmulator.SERVICE_USER, User.CONTAINER_MANAGER, true);
    }

    private ResponseEntity<JsonNode> send(HttpMethod method, String path, Object body) {
        return rest.exchange(path, method, new HttpEntity<>(body, keyHeaders()), JsonNode.class);
    }

    private static String newProject(String prefix) {
        String id = prefix + "_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        xnat.state().addProject(id, "hub-" + id, "Subscriptions " + id, null);
        return id;
    }

    private static Map<String, Object> hubProject(String hubId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project_id", hubId);
        body.put("trust_id", UUID.randomUUID().toString());
        body.put("project_name", "Real XNAT");
        body.put("users", List.of());
        body.put("dicom_to_nifti", true);
        return body;
    }

    /** The XNAT project provisioning made (or resumed) for the hub project. */
    private static String projectOf(String hub) {
        return xnat.state().projectsBySecondaryId(hub).get(0).id();
    }

    private static String dcm2niixActionKey() {
        Command command = xnat.state().commands().stream()
                .filter(c -> XnatEmulator.DCM2NIIX_IMAGE.equals(c.image())).findFirst().orElseThrow();
        return "org.nrg.containers.services.CommandActionProvider:" + command.wrappers().get(0).id();
    }

    private static void assertSaysEnableTheEventService(ResponseEntity<JsonNode> response) {
        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(response.getBody().get("code").asText()).isEqualTo("xnat_error");
        assertThat(response.getBody().get("detail").asText()).contains("event service is disabled",
                "PUT /xapi/events/prefs {\"enabled\": true}");
    }

    // ------------------------------------------------------------------ 3. event service disabled

    @Test
    void aDisabledEventServiceIsDiagnosedOnTheListingsBare500WithOneSettingsCall() {
        String project = newProject("EVS_OFF");
        xnat.setEventServiceEnabled(false);

        ResponseEntity<JsonNode> listed = send(HttpMethod.GET, "/projects/" + project + "/event-subscriptions", null);

        assertSaysEnableTheEventService(listed);
        assertThat(listed.getBody().get("detail").asText()).doesNotContain("There was an error in the request : null");
        // Diagnosed at once: the listing's 500 is not replayed by the idempotent retry policy first.
        assertThat(xnat.calls(XnatOps.LIST_SUBSCRIPTIONS)).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.GET_EVENT_PREFS)).isEqualTo(1);
    }

    @Test
    void provisioningWithTheEventServiceDisabledIs502SayingSoAndCompletesOnceItIsEnabled() {
        String hub = UUID.randomUUID().toString();
        xnat.setEventServiceEnabled(false);

        ResponseEntity<JsonNode> failed = send(HttpMethod.POST, PROVISION, hubProject(hub));

        assertSaysEnableTheEventService(failed);
        assertThat(xnat.calls(XnatOps.CREATE_SUBSCRIPTION)).isZero();

        xnat.setEventServiceEnabled(true);
        ResponseEntity<JsonNode> replay = send(HttpMethod.POST, PROVISION, hubProject(hub));

        assertThat(replay.getStatusCode().value()).isIn(200, 201);
        assertThat(xnat.state().subscriptionsForProject(projectOf(hub))).hasSize(1);
    }

    @Test
    void theListingsBodyIsEnoughWhenTheSettingsCannotBeRead() {
        String project = newProject("EVS_NOPREFS");
        xnat.setEventServiceEnabled(false);
        xnat.inject(XnatOps.GET_EVENT_PREFS, Fault.status(403, ""));

        assertSaysEnableTheEventService(send(HttpMethod.GET, "/projects/" + project + "/event-subscriptions", null));
    }

    @Test
    void aListing500WhileTheEventServiceIsEnabledIsNotBlamedOnTheSetting() {
        String project = newProject("EVS_ON500");
        xnat.inject(XnatOps.LIST_SUBSCRIPTIONS, Fault.status(500, "There was an error in the request : null"));

        ResponseEntity<JsonNode> response = send(HttpMethod.GET, "/projects/" + project + "/event-subscriptions",
                null);

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(response.getBody().get("detail").asText()).doesNotContain("disabled").contains("HTTP 500");
        // This body is not replayed (replaying cannot change it): one listing, one settings call.
        assertThat(xnat.calls(XnatOps.LIST_SUBSCRIPTIONS)).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.GET_EVENT_PREFS)).isEqualTo(1);
    }

    @Test
    void anyOther500OfTheListingIsStillReplayed() {
        String project = newProject("EVS_OTHER500");
        xnat.inject(XnatOps.LIST_SUBSCRIPTIONS, Fault.status(500, "There was an error in the request : timeout"));

        ResponseEntity<JsonNode> response = send(HttpMethod.GET, "/projects/" + project + "/event-subscriptions",
                null);

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(xnat.calls(XnatOps.LIST_SUBSCRIPTIONS)).isEqualTo(3);
    }

    @Test
    void xnatsRealDisabled405OnActivateDeactivateAndDeleteIsA502SayingSo() {
        String project = newProject("EVS_405");
        long id = send(HttpMethod.POST, "/projects/" + project + "/event-subscriptions", Map.of("active", false))
                .getBody().get("id").asLong();
        String base = "/projects/" + project + "/event-subscriptions/" + id;
        // Disabled between our listing and the call: XNAT's 405 with its advice's body.
        for (String op : List.of(XnatOps.ACTIVATE_SUBSCRIPTION, XnatOps.DEACTIVATE_SUBSCRIPTION,
                XnatOps.DELETE_SUBSCRIPTION)) {
            xnat.inject(op, Fault.status(405, DISABLED_405, "text/plain;charset=UTF-8"));
        }

        assertSaysEnableTheEventService(send(HttpMethod.POST, base + "/activate", null));
        assertSaysEnableTheEventService(send(HttpMethod.POST, base + "/deactivate", null));
        assertSaysEnableTheEventService(send(HttpMethod.DELETE, base, null));
        assertThat(xnat.state().subscription(id)).isPresent();
    }

    // ------------------------------------------------------------------ 4. site-wide subscriptions

    @Test
    void aSiteWideSubscriptionIsListedWithANullProjectIdAndCannotBeChangedThroughAProject() {
        String project = newProject("SITE_WIDE");
        Subscription site = xnat.seedSiteWideSubscription(Seeds.SUBSCRIPTION_NAME);
        siteWide = site.id();
        assertThat(site.projectIds()).isEmpty();

        ResponseEntity<JsonNode> listed = send(HttpMethod.GET, "/projects/" + project + "/event-subscriptions", null);

        assertThat(listed.getStatusCode().value()).isEqualTo(200);
        JsonNode shown = listed.getBody().get(0);
        assertThat(shown.get("id").asLong()).isEqualTo(site.id());
        assertThat(shown.get("project_id").isNull()).isTrue();

        String base = "/projects/" + project + "/event-subscriptions/" + site.id();
        for (ResponseEntity<JsonNode> refused : List.of(send(HttpMethod.POST, base + "/deactivate", null),
                send(HttpMethod.POST, base + "/activate", null), send(HttpMethod.DELETE, base, null))) {
            assertThat(refused.getStatusCode().value()).isEqualTo(409);
            assertThat(refused.getBody().get("code").asText()).isEqualTo("site_wide_subscription");
            assertThat(refused.getBody().get("detail").asText()).contains("site-wide", "Event Service")
                    .doesNotContain("lacks permission");
        }
        assertThat(xnat.state().subscription(site.id())).get().extracting(Subscription::active).isEqualTo(true);
        assertThat(xnat.calls(XnatOps.ACTIVATE_SUBSCRIPTION) + xnat.calls(XnatOps.DEACTIVATE_SUBSCRIPTION)
                + xnat.calls(XnatOps.DELETE_SUBSCRIPTION)).as("XNAT's 401 is never reached").isZero();
    }

    @Test
    void aSiteWideSubscriptionForTheActionCoversTheProjectSoNoneIsAdded() {
        String project = newProject("SITE_COVERS");
        siteWide = xnat.seedSiteWideSubscription("dcm2niix everywhere").id();

        ResponseEntity<JsonNode> ensured = send(HttpMethod.POST, "/projects/" + project + "/event-subscriptions",
                Map.of());

        assertThat(ensured.getStatusCode().value()).isEqualTo(200);
        assertThat(ensured.getBody().get("id").asLong()).isEqualTo(siteWide);
        assertThat(ensured.getBody().get("project_id").isNull()).isTrue();
        assertThat(xnat.state().subscriptionsForProject(project)).isEmpty();
        assertThat(xnat.calls(XnatOps.CREATE_SUBSCRIPTION)).isZero();

        String hub = UUID.randomUUID().toString();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger provisioningLog = (Logger) LoggerFactory.getLogger(ProjectProvisioning.class);
        provisioningLog.addAppender(logs);
        ResponseEntity<JsonNode> provisioned;
        try {
            provisioned = send(HttpMethod.POST, PROVISION, hubProject(hub));
        } finally {
            provisioningLog.detachAppender(logs);
        }
        assertThat(provisioned.getStatusCode().value()).isEqualTo(201);
        assertThat(xnat.state().subscriptionsForProject(projectOf(hub))).isEmpty();
        assertThat(xnat.calls(XnatOps.CREATE_SUBSCRIPTION)).isZero();
        // The answer and the log say that the site-wide subscription covers the project.
        JsonNode covering = provisioned.getBody().get("subscription");
        assertThat(covering.get("id").asLong()).isEqualTo(siteWide);
        assertThat(covering.get("site_wide").asBoolean()).isTrue();
        assertThat(covering.get("active").asBoolean()).isTrue();
        assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.INFO)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).contains(projectOf(hub))
                        .contains("covered by site-wide event subscription " + siteWide));
    }

    // ------------------------------------------------------------------ 5. subscriptions made by others

    @Test
    void theReferenceServicesSubscriptionIsRecognisedAndProvisioningAddsNoSecond() {
        String hub = UUID.randomUUID().toString();
        // Provisioned earlier by the reference service: resumed through its secondary ID.
        String id = "REF_" + hub.substring(0, 8).toUpperCase();
        xnat.state().addProject(id, hub, "Real XNAT:" + hub + "-FL-Project",
                "Project corresponding to central hub project " + hub, XnatEmulator.SERVICE_USER);
        Subscription reference = xnat.seedProjectSubscription(id, Seeds.SUBSCRIPTION_NAME, XnatEmulator.SERVICE_USER);

        ResponseEntity<JsonNode> provisioned = send(HttpMethod.POST, PROVISION, hubProject(hub));

        assertThat(provisioned.getStatusCode().value()).isEqualTo(200);
        assertThat(xnat.state().subscriptionsForProject(id)).singleElement()
                .extracting(Subscription::id).isEqualTo(reference.id());
        assertThat(xnat.calls(XnatOps.CREATE_SUBSCRIPTION)).isZero();
    }

    @Test
    void anAdminsSubscriptionUnderAnyNameIsRecognisedAndDuplicatesConvergeOnTheOldest() {
        String project = newProject("OTHERS");
        Subscription admins = xnat.seedProjectSubscription(project, "scan conversion (set up by hand)", "admin");
        Subscription reference = xnat.seedProjectSubscription(project, Seeds.SUBSCRIPTION_NAME,
                XnatEmulator.SERVICE_USER);
        assertThat(admins.actionKey()).isEqualTo(dcm2niixActionKey());

        ResponseEntity<JsonNode> ensured = send(HttpMethod.POST, "/projects/" + project + "/event-subscriptions",
                Map.of());

        assertThat(ensured.getStatusCode().value()).isEqualTo(200);
        assertThat(ensured.getBody().get("id").asLong()).isEqualTo(admins.id());
        assertThat(ensured.getBody().get("name").asText()).isEqualTo("scan conversion (set up by hand)");
        assertThat(xnat.state().subscriptionsForProject(project)).extracting(Subscription::id)
                .containsExactly(admins.id());
        assertThat(xnat.state().subscription(reference.id())).isEmpty();
        assertThat(xnat.calls(XnatOps.CREATE_SUBSCRIPTION)).isZero();
    }

    // ------------------------------------------------------------------ 6. commands: no 403, hidden ones

    @Test
    void aPrivateCommandHiddenFromAnAccountWithoutContainerManagerIs404NamingTheRole() {
        String image = "registry.example.org/private-tool:v" + UUID.randomUUID().toString().substring(0, 8);
        Command.Ids ids = xnat.state().addCommand("private-tool", image, "private-tool-scan");
        xnat.state().setCommandVisibility(ids.commandId(), Command.PRIVATE);
        xnat.setRole(XnatEmulator.SERVICE_USER, User.CONTAINER_MANAGER, false);

        ResponseEntity<JsonNode> hidden = send(HttpMethod.GET, "/commands?image=" + image, null);

        assertThat(hidden.getStatusCode().value()).isEqualTo(404);
        assertThat(hidden.getBody().get("detail").asText()).contains("ContainerManager", "not public")
                .doesNotContain("403", "401");
        assertThat(xnat.calls(XnatOps.LIST_COMMANDS)).as("the lookup and the registry listing").isEqualTo(2);

        xnat.setRole(XnatEmulator.SERVICE_USER, User.CONTAINER_MANAGER, true);
        ResponseEntity<JsonNode> found = send(HttpMethod.GET, "/commands?image=" + image, null);
        assertThat(found.getStatusCode().value()).isEqualTo(200);
        assertThat(found.getBody().get("command_id").asLong()).isEqualTo(ids.commandId());
    }
}
