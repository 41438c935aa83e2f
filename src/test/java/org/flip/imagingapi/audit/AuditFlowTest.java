package org.flip.imagingapi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flip.imagingapi.EmulatorFlowTest;
import org.flip.imagingapi.emulator.Fault;
import org.flip.imagingapi.emulator.Project;
import org.flip.imagingapi.emulator.ProjectGroup;
import org.flip.imagingapi.emulator.Seeds;
import org.flip.imagingapi.emulator.Subscription;
import org.flip.imagingapi.emulator.User;
import org.flip.imagingapi.emulator.XnatEmulator;
import org.flip.imagingapi.emulator.XnatOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * The provisioning audit against the stateful emulator: each kind of drift made in XNAT, the report
 * naming it, then provisioning run again and the report clean for the drifts provisioning repairs.
 * XNAT calls per audit are counted exactly.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditFlowTest extends EmulatorFlowTest {

    private static final String PROVISION = "/projects/create-project-from-central-hub-project";

    private record Hub(String projectId, String name, List<Map<String, Object>> users) {
        Map<String, Object> body(boolean dicomToNifti) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("project_id", projectId);
            body.put("trust_id", "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a");
            body.put("project_name", name);
            body.put("users", users);
            body.put("dicom_to_nifti", dicomToNifti);
            return body;
        }

        Map<String, Object> usersBody() {
            return Map.of("users", users);
        }
    }

    private static Hub newHub(int users) {
        String id = UUID.randomUUID().toString();
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            list.add(Map.of("id", UUID.randomUUID().toString(),
                    "email", "audit" + i + "." + id.substring(0, 8) + "@hospital.example.org"));
        }
        return new Hub(id, "Audit cohort", list);
    }

    /** Provisions the hub project and marks its users as having logged in (their invitations used). */
    private String provisioned(Hub hub, boolean dicomToNifti) {
        ResponseEntity<JsonNode> response = rest.exchange(PROVISION, HttpMethod.POST,
                new HttpEntity<>(hub.body(dicomToNifti), keyHeaders()), JsonNode.class);
        assertThat(response.getStatusCode().is2xxSuccessful()).as("%s", response.getBody()).isTrue();
        hub.users().forEach(user -> loggedIn((String) user.get("email")));
        return response.getBody().get("ID").asText();
    }

    private void reprovision(Hub hub, boolean dicomToNifti) {
        ResponseEntity<JsonNode> response = rest.exchange(PROVISION, HttpMethod.POST,
                new HttpEntity<>(hub.body(dicomToNifti), keyHeaders()), JsonNode.class);
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(200);
    }

    private void loggedIn(String email) {
        User u = xnat.state().usersByEmail(email).get(0);
        xnat.state().updateUser(u.withLastSuccessfulLogin(System.currentTimeMillis()));
    }

    private JsonNode get(String path) {
        ResponseEntity<JsonNode> response = rest.exchange(path, HttpMethod.GET, new HttpEntity<>(keyHeaders()),
                JsonNode.class);
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(200);
        return response.getBody();
    }

    private JsonNode post(String id, Object body) {
        ResponseEntity<JsonNode> response = rest.exchange("/projects/" + id + "/audit", HttpMethod.POST,
                new HttpEntity<>(body, keyHeaders()), JsonNode.class);
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(200);
        return response.getBody();
    }

    private static Map<String, String> statuses(JsonNode report) {
        Map<String, String> out = new LinkedHashMap<>();
        report.get("checks").forEach(c -> out.put(c.get("check").asText(), c.get("status").asText()));
        return out;
    }

    private static List<String> drifts(JsonNode report) {
        return statuses(report).entrySet().stream().filter(e -> e.getValue().equals("drift")).map(Map.Entry::getKey)
                .toList();
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode check(JsonNode report, String name) {
        for (JsonNode c : report.get("checks")) {
            if (c.get("check").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + report);
    }

    private long dcm2niixWrapper() {
        return xnat.state().commands().stream().filter(c -> c.image().equals(XnatEmulator.DCM2NIIX_IMAGE))
                .findFirst().orElseThrow().wrappers().get(0).id();
    }

    private int callsBesidesLogins() {
        return xnat.totalCalls() - xnat.logins();
    }

    @Test
    void aFreshlyProvisionedProjectAuditsCleanInAFixedNumberOfXnatCalls(CapturedOutput output) {
        Hub hub = newHub(3);
        String id = provisioned(hub, true);
        xnat.resetCounters();

        JsonNode byId = get("/projects/" + id + "/audit");

        assertThat(byId.get("project_id").asText()).isEqualTo(id);
        assertThat(byId.get("status").asText()).as("%s", byId).isEqualTo("ok");
        assertThat(statuses(byId)).containsOnlyKeys("project_unique", "project_name", "project_description",
                "prearchive_code", "command", "wrapper_enabled", "subscription", "subscription_active",
                "site_wide_subscription", "member_groups", "privileged_members");
        assertThat(statuses(byId).values()).containsOnly("ok");
        assertThat(names(byId.get("not_checked")))
                .containsExactly("hub_users_in_project", "extra_members", "never_logged_in");
        assertThat(byId.get("not_checked_fix").asText()).contains("POST").contains("include_logins=true");
        assertThat(check(byId, "prearchive_code").get("found").asText()).isEqualTo("4");
        assertThat(check(byId, "member_groups").get("found").asText()).isEqualTo("3 in Members");
        assertThat(check(byId, "command").get("fix").isNull()).isTrue();
        // project, twins, prearchive code, command, wrapper, subscriptions, members, administrators
        assertThat(callsBesidesLogins()).as("%s", xnat.callCounts()).isEqualTo(8);
        assertThat(xnat.calls(XnatOps.LIST_PROJECTS)).isEqualTo(2);
        assertThat(xnat.calls(XnatOps.GET_PREARCHIVE_CODE)).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.LIST_COMMANDS)).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.GET_WRAPPER_PROJECT_ENABLED)).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.LIST_SUBSCRIPTIONS)).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.LIST_PROJECT_USERS)).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.LIST_USERS_WITH_ROLE)).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.LIST_USER_PROFILES)).isZero();

        xnat.resetCounters();
        JsonNode byHub = get("/projects/central-hub/" + hub.projectId().toUpperCase() + "/audit");
        assertThat(byHub.get("project_id").asText()).isEqualTo(id);
        assertThat(byHub.get("status").asText()).isEqualTo("ok");
        assertThat(callsBesidesLogins()).as("%s", xnat.callCounts()).isEqualTo(7);
        assertThat(xnat.calls(XnatOps.LIST_PROJECTS)).isEqualTo(1);

        xnat.resetCounters();
        JsonNode withUsers = post(id, hub.usersBody());
        assertThat(withUsers.get("status").asText()).as("%s", withUsers).isEqualTo("ok");
        assertThat(statuses(withUsers).values()).containsOnly("ok");
        assertThat(statuses(withUsers)).containsKeys("hub_users_in_project", "extra_members", "never_logged_in");
        assertThat(withUsers.get("not_checked")).isEmpty();
        assertThat(withUsers.get("not_checked_fix").isNull()).isTrue();
        assertThat(check(withUsers, "hub_users_in_project").get("found").asText()).isEqualTo("3 of 3");
        assertThat(check(withUsers, "hub_users_in_project").get("fix").isNull()).isTrue();
        assertThat(callsBesidesLogins()).as("%s", xnat.callCounts()).isEqualTo(9);
        assertThat(xnat.calls(XnatOps.LIST_USER_PROFILES)).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.LIST_USERS_WITH_ROLE)).as("one roles call for both checks").isEqualTo(1);

        xnat.resetCounters();
        JsonNode withLogins = get("/projects/" + id + "/audit?include_logins=true");
        assertThat(withLogins.get("status").asText()).as("%s", withLogins).isEqualTo("ok");
        assertThat(check(withLogins, "never_logged_in").get("found").asText()).isEqualTo("none");
        assertThat(names(withLogins.get("not_checked"))).containsExactly("hub_users_in_project", "extra_members");
        assertThat(withLogins.get("not_checked_fix").asText()).contains("POST").doesNotContain("include_logins");
        assertThat(callsBesidesLogins()).as("%s", xnat.callCounts()).isEqualTo(9);
        assertThat(xnat.calls(XnatOps.LIST_USER_PROFILES)).isEqualTo(1);

        xnat.resetCounters();
        JsonNode byHubWithLogins = get("/projects/central-hub/" + hub.projectId() + "/audit?include_logins=true");
        assertThat(statuses(byHubWithLogins)).containsEntry("never_logged_in", "ok");
        assertThat(callsBesidesLogins()).as("%s", xnat.callCounts()).isEqualTo(8);

        assertThat(output.getOut()).contains("Audit of project " + id + " (hub project " + hub.projectId() + "): ok")
                .doesNotContain("@hospital.example.org");
    }

    @Test
    void theCallCountDoesNotGrowWithTheMembers() {
        Hub small = newHub(1);
        Hub large = newHub(12);
        String smallId = provisioned(small, true);
        String largeId = provisioned(large, true);

        xnat.resetCounters();
        post(smallId, small.usersBody());
        int forOne = callsBesidesLogins();
        xnat.resetCounters();
        post(largeId, large.usersBody());

        assertThat(callsBesidesLogins()).isEqualTo(forOne).isEqualTo(9);
    }

    @Test
    void driftsProvisioningRepairsAreNamedAndGoneOnceProvisioningRunsAgain() {
        Hub hub = newHub(2);
        String id = provisioned(hub, true);
        Subscription original = xnat.state().subscriptionsForProject(id).get(0);
        Subscription duplicate = xnat.seedProjectSubscription(id, "dcm2niix by hand", "admin");
        xnat.state().setSubscriptionActive(original.id(), false);
        xnat.state().setWrapperEnabledForProject(id, dcm2niixWrapper(), false);
        xnat.state().setPrearchiveCode(id, 0);
        String dropped = xnat.state().usersByEmail((String) hub.users().get(1).get("email")).get(0).username();
        assertThat(xnat.state().removeMember(id, dropped, ProjectGroup.MEMBERS)).isTrue();

        JsonNode report = post(id, hub.usersBody());

        assertThat(report.get("status").asText()).isEqualTo("drift");
        assertThat(drifts(report)).containsExactlyInAnyOrder("prearchive_code", "wrapper_enabled", "subscription",
                "subscription_active", "hub_users_in_project");
        assertThat(check(report, "prearchive_code").get("found").asText()).isEqualTo("0");
        assertThat(check(report, "prearchive_code").get("fix").asText()).contains("sets the prearchive code to 4");
        assertThat(check(report, "wrapper_enabled").get("found").asText())
                .contains("enabled site-wide").contains("disabled for the project");
        assertThat(check(report, "wrapper_enabled").get("fix").asText()).startsWith("Re-running provisioning enables");
        assertThat(check(report, "subscription").get("found").asText()).startsWith("2: ");
        assertThat(check(report, "subscription").get("fix").asText())
                .contains("keeps the oldest (" + original.id() + ") and deletes " + duplicate.id());
        assertThat(check(report, "subscription_active").get("found").asText()).isEqualTo("inactive");
        assertThat(check(report, "subscription_active").get("fix").asText()).contains("activates");
        assertThat(check(report, "hub_users_in_project").get("found").asText())
                .isEqualTo("1 of 2; hub user " + hub.users().get(1).get("id") + " (account '" + dropped
                        + "' not in the project)");
        assertThat(report.toString()).doesNotContain("@hospital.example.org");

        reprovision(hub, true);

        JsonNode after = post(id, hub.usersBody());
        assertThat(after.get("status").asText()).as("%s", after).isEqualTo("ok");
        assertThat(xnat.state().subscriptionsForProject(id)).extracting(Subscription::id)
                .containsExactly(original.id());
    }

    @Test
    void aMissingSubscriptionIsCreatedByProvisioningAndAnInactiveOneIsAsked() {
        Hub hub = newHub(0);
        String id = provisioned(hub, false);
        JsonNode inactive = get("/projects/" + id + "/audit?dicom_to_nifti=false");
        assertThat(inactive.get("status").asText()).as("%s", inactive).isEqualTo("ok");
        assertThat(check(inactive, "subscription_active").get("expected").asText()).startsWith("inactive");
        JsonNode askedActive = get("/projects/" + id + "/audit");
        assertThat(drifts(askedActive)).containsExactly("subscription_active");

        xnat.state().subscriptionsForProject(id).forEach(s -> xnat.state().deleteSubscription(s.id()));
        JsonNode report = get("/projects/" + id + "/audit?dicom_to_nifti=false");

        assertThat(drifts(report)).containsExactly("subscription", "subscription_active");
        assertThat(check(report, "subscription").get("found").asText()).isEqualTo("none");
        assertThat(check(report, "subscription").get("fix").asText()).startsWith("Re-running provisioning creates it");

        reprovision(hub, false);
        assertThat(get("/projects/" + id + "/audit?dicom_to_nifti=false").get("status").asText()).isEqualTo("ok");
    }

    @Test
    void driftsOnlyAnAdministratorCanFixSayWhatToDoInXnatAndSurviveProvisioning() {
        Hub hub = newHub(1);
        String id = provisioned(hub, true);
        Project project = xnat.state().project(id).orElseThrow();
        xnat.state().updateProject(new Project(id, project.secondaryId(), "Renamed by hand", "Edited",
                project.piFirstname(), project.piLastname(), project.accessibility(), project.prearchiveCode(),
                project.aliases(), project.insertUser(), project.insertDate()));
        String twin = "TWIN_" + hub.projectId().substring(0, 8);
        xnat.state().addProject(twin, hub.projectId(), "Twin:" + hub.projectId() + "-FL-Project", "twin");
        xnat.state().addMember(id, "admin", ProjectGroup.MEMBERS);
        xnat.state().addMember(id, "dqr-operator", ProjectGroup.COLLABORATORS);
        xnat.state().addMember(id, "jsmith", ProjectGroup.MEMBERS); // never logged in (demo seed)

        JsonNode report = post(id, hub.usersBody());

        List<String> expected = List.of("project_unique", "project_name", "project_description", "member_groups",
                "privileged_members", "extra_members", "never_logged_in");
        assertThat(drifts(report)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(check(report, "project_unique").get("found").asText()).contains("2 projects").contains(twin);
        assertThat(check(report, "project_unique").get("fix").asText()).contains("XNAT administrator");
        assertThat(check(report, "project_name").get("found").asText()).isEqualTo("Renamed by hand");
        assertThat(check(report, "project_name").get("expected").asText())
                .isEqualTo("ends with ':" + hub.projectId() + "-FL-Project'");
        assertThat(check(report, "project_description").get("expected").asText())
                .isEqualTo("Project corresponding to central hub project " + hub.projectId());
        assertThat(check(report, "member_groups").get("found").asText()).isEqualTo("Collaborators: dqr-operator");
        assertThat(check(report, "privileged_members").get("found").asText()).isEqualTo("admin (Members)");
        assertThat(check(report, "privileged_members").get("fix").asText()).contains("XNAT administrator");
        assertThat(check(report, "extra_members").get("found").asText())
                .contains("admin (Members)").contains("dqr-operator (Collaborators)").contains("jsmith (Members)");
        assertThat(check(report, "never_logged_in").get("found").asText()).isEqualTo("jsmith");

        reprovision(hub, true);

        JsonNode after = post(id, hub.usersBody());
        assertThat(drifts(after)).containsExactlyInAnyOrderElementsOf(expected);
        xnat.state().deleteProject(twin);
    }

    @Test
    void aNeverLoggedInHubUserIsAPendingInvitationThatProvisioningRenews() {
        Hub hub = newHub(1);
        ResponseEntity<JsonNode> created = rest.exchange(PROVISION, HttpMethod.POST,
                new HttpEntity<>(hub.body(true), keyHeaders()), JsonNode.class);
        String id = created.getBody().get("ID").asText();
        String username = created.getBody().get("created_users").get(0).get("username").asText();

        JsonNode report = post(id, hub.usersBody());

        assertThat(drifts(report)).containsExactly("never_logged_in");
        assertThat(check(report, "never_logged_in").get("found").asText()).isEqualTo(username);
        assertThat(check(report, "never_logged_in").get("fix").asText()).contains("fresh one").contains("(1 of 1)");
        ResponseEntity<JsonNode> again = rest.exchange(PROVISION, HttpMethod.POST,
                new HttpEntity<>(hub.body(true), keyHeaders()), JsonNode.class);
        assertThat(again.getBody().get("created_users")).hasSize(1);
    }

    @Test
    void aPendingInvitationShowsOnTheGetOnlyWhenLoginsAreAskedFor() {
        Hub hub = newHub(1);
        ResponseEntity<JsonNode> created = rest.exchange(PROVISION, HttpMethod.POST,
                new HttpEntity<>(hub.body(true), keyHeaders()), JsonNode.class);
        String id = created.getBody().get("ID").asText();
        String username = created.getBody().get("created_users").get(0).get("username").asText();

        JsonNode plain = get("/projects/" + id + "/audit");
        assertThat(plain.get("status").asText()).as("%s", plain).isEqualTo("ok");
        assertThat(names(plain.get("not_checked"))).contains("never_logged_in");

        xnat.resetCounters();
        JsonNode withLogins = get("/projects/" + id + "/audit?include_logins=true");
        assertThat(drifts(withLogins)).containsExactly("never_logged_in");
        assertThat(check(withLogins, "never_logged_in").get("found").asText()).isEqualTo(username);
        assertThat(check(withLogins, "never_logged_in").get("fix").asText()).contains("fresh one")
                .contains("POST with the hub's users");
        assertThat(callsBesidesLogins()).as("%s", xnat.callCounts()).isEqualTo(9);
        assertThat(xnat.calls(XnatOps.LIST_USER_PROFILES)).isEqualTo(1);
    }

    @Test
    void aHubUserWithAPrivilegedAccountsEmailIsLeftOutAsByProvisioningAndTheReportIsClean() {
        String name = "auditadm" + UUID.randomUUID().toString().substring(0, 8);
        User administrator = xnat.state().addUser(name, name + "@trust.example.org", "Site", "Admin", "pw",
                java.util.Set.of(User.ADMINISTRATOR));
        Hub hub = newHub(1);
        String adminEmail = administrator.email().toUpperCase(java.util.Locale.ROOT);
        String adminHubId = UUID.randomUUID().toString();
        List<Map<String, Object>> users = new ArrayList<>(hub.users());
        users.add(Map.of("id", adminHubId, "email", adminEmail));
        Hub withAdministrator = new Hub(hub.projectId(), hub.name(), users);
        ResponseEntity<JsonNode> provisioned = rest.exchange(PROVISION, HttpMethod.POST,
                new HttpEntity<>(withAdministrator.body(true), keyHeaders()), JsonNode.class);
        assertThat(provisioned.getBody().get("skipped_users").get(0).get("reason").asText())
                .isEqualTo("privileged_account");
        String id = provisioned.getBody().get("ID").asText();
        loggedIn((String) hub.users().get(0).get("email"));

        xnat.resetCounters();
        JsonNode report = post(id, withAdministrator.usersBody());

        assertThat(report.get("status").asText()).as("%s", report).isEqualTo("ok");
        JsonNode hubUsers = check(report, "hub_users_in_project");
        assertThat(hubUsers.get("found").asText())
                .isEqualTo("1 of 1; left out as a privileged account's e-mail: hub user " + adminHubId);
        assertThat(hubUsers.get("fix").asText()).contains("privileged_account").contains("e-mail of their own")
                .contains("XNAT administrator");
        assertThat(xnat.calls(XnatOps.LIST_USERS_WITH_ROLE)).isEqualTo(1);
        assertThat(report.toString()).doesNotContain(administrator.email());

        // an administrator puts the account in the project anyway: flagged, and never a hub user's account
        xnat.state().addMember(id, administrator.username(), ProjectGroup.MEMBERS);
        loggedIn(administrator.email());
        JsonNode added = post(id, withAdministrator.usersBody());
        assertThat(drifts(added)).containsExactlyInAnyOrder("privileged_members", "extra_members");
        assertThat(check(added, "hub_users_in_project").get("status").asText()).isEqualTo("ok");
        assertThat(check(added, "extra_members").get("found").asText())
                .isEqualTo(administrator.username() + " (Members)");
        assertThat(check(added, "privileged_members").get("found").asText())
                .isEqualTo(administrator.username() + " (Members)");
    }

    @Test
    void aSiteWideDuplicateIsForAnAdministratorAndProvisioningLeavesItAlone() {
        Hub hub = newHub(0);
        String id = provisioned(hub, true);
        Subscription siteWide = xnat.seedSiteWideSubscription("dcm2niix everywhere");
        try {
            JsonNode report = get("/projects/central-hub/" + hub.projectId() + "/audit");

            assertThat(drifts(report)).containsExactly("site_wide_subscription");
            assertThat(check(report, "site_wide_subscription").get("found").asText())
                    .contains("site-wide subscription " + siteWide.id()).contains("project subscription ");
            assertThat(check(report, "site_wide_subscription").get("fix").asText())
                    .contains("XNAT administrator deletes site-wide subscription(s) " + siteWide.id())
                    .contains("DELETE /projects/" + id + "/event-subscriptions/");

            reprovision(hub, true);
            assertThat(drifts(get("/projects/central-hub/" + hub.projectId() + "/audit")))
                    .containsExactly("site_wide_subscription");

            // alone, the site-wide subscription covers the project (provisioning adds none)
            xnat.state().subscriptionsForProject(id).forEach(s -> xnat.state().deleteSubscription(s.id()));
            JsonNode covered = get("/projects/" + id + "/audit");
            assertThat(covered.get("status").asText()).as("%s", covered).isEqualTo("ok");
            assertThat(check(covered, "subscription").get("found").asText()).contains("covers it");
        } finally {
            xnat.state().deleteSubscription(siteWide.id());
        }
    }

    @Test
    void aWrapperDisabledSiteWideIsForAnAdministrator() {
        Hub hub = newHub(0);
        String id = provisioned(hub, true);
        long wrapper = dcm2niixWrapper();
        xnat.state().setWrapperEnabledForSite(wrapper, false);
        try {
            JsonNode report = get("/projects/" + id + "/audit");

            assertThat(drifts(report)).containsExactly("wrapper_enabled");
            assertThat(check(report, "wrapper_enabled").get("found").asText()).contains("disabled site-wide");
            assertThat(check(report, "wrapper_enabled").get("fix").asText()).contains("enables wrapper")
                    .contains("site-wide");
        } finally {
            xnat.state().setWrapperEnabledForSite(wrapper, true);
        }
        assertThat(get("/projects/" + id + "/audit").get("status").asText()).isEqualTo("ok");
    }

    @Test
    void aFailingLaterCallMakesItsChecksUnknownWithTheReasonAndTheOthersStillRun() {
        Hub hub = newHub(0);
        String id = provisioned(hub, true);
        xnat.inject(XnatOps.LIST_SUBSCRIPTIONS, Fault.status(500, "boom").times(3));

        JsonNode report = get("/projects/" + id + "/audit");

        assertThat(report.get("status").asText()).isEqualTo("unknown");
        assertThat(statuses(report)).containsEntry("subscription", "unknown")
                .containsEntry("subscription_active", "unknown").containsEntry("site_wide_subscription", "unknown")
                .containsEntry("prearchive_code", "ok").containsEntry("member_groups", "ok");
        assertThat(check(report, "subscription").get("found").asText()).contains("HTTP 500")
                .doesNotContain("Exception");
        xnat.clearFaults();

        xnat.setEventServiceEnabled(false);
        try {
            JsonNode disabled = get("/projects/" + id + "/audit");
            assertThat(check(disabled, "subscription").get("found").asText()).contains("event service is disabled");
        } finally {
            xnat.setEventServiceEnabled(true);
        }
    }

    @Test
    void anUnknownProjectIs404AndXnatFailingOnTheProjectLookupIsOurs() {
        ResponseEntity<JsonNode> missing = rest.exchange("/projects/NO_SUCH_PROJECT/audit", HttpMethod.GET,
                new HttpEntity<>(keyHeaders()), JsonNode.class);
        assertThat(missing.getStatusCode().value()).isEqualTo(404);
        assertThat(missing.getBody().get("code").asText()).isEqualTo("not_found");
        ResponseEntity<JsonNode> noHub = rest.exchange("/projects/central-hub/" + UUID.randomUUID() + "/audit",
                HttpMethod.GET, new HttpEntity<>(keyHeaders()), JsonNode.class);
        assertThat(noHub.getStatusCode().value()).isEqualTo(404);

        xnat.inject(XnatOps.LIST_PROJECTS, Fault.status(500, "boom").times(3));
        ResponseEntity<JsonNode> failing = rest.exchange("/projects/" + xnatProjectOfTheDemoHub() + "/audit",
                HttpMethod.GET, new HttpEntity<>(keyHeaders()), JsonNode.class);
        assertThat(failing.getStatusCode().value()).isEqualTo(502);
        assertThat(failing.getBody().get("code").asText()).isEqualTo("xnat_error");
        xnat.clearFaults();
    }

    @Test
    void aBadDicomToNiftiIsACallerError() {
        ResponseEntity<JsonNode> response = rest.exchange("/projects/" + xnatProjectOfTheDemoHub()
                + "/audit?dicom_to_nifti=maybe", HttpMethod.GET, new HttpEntity<>(keyHeaders()), JsonNode.class);
        assertThat(response.getStatusCode().is4xxClientError()).isTrue();
    }

    @Test
    void theDemosDriftedProjectAnswersTheDocumentedExamples() throws Exception {
        xnat.seedDemoAuditDrift();
        try {
            JsonNode operations = io.swagger.v3.core.util.Yaml.mapper()
                    .readTree(getClass().getResourceAsStream("/openapi/operations.yaml")).get("operations");
            long subscription = xnat.state().subscriptionsForProject(Seeds.DRIFT).get(0).id();
            JsonNode byId = asInTheDemo(get("/projects/" + Seeds.DRIFT + "/audit"), subscription);
            JsonNode documentedGet = operations.at("/auditProject/responses/200/content/application~1json/example");
            JsonNode body = operations.at("/auditProjectWithUsers/requestBody/content/application~1json/examples")
                    .elements().next().get("value");
            JsonNode withUsers = asInTheDemo(post(Seeds.DRIFT, body), subscription);
            JsonNode documentedPost = operations.at(
                    "/auditProjectWithUsers/responses/200/content/application~1json/example");
            assertThat(byId).isEqualTo(documentedGet);
            assertThat(withUsers).isEqualTo(documentedPost);
            assertThat(asInTheDemo(get("/projects/central-hub/" + Seeds.DRIFT_HUB_PROJECT + "/audit"), subscription))
                    .isEqualTo(documentedGet);
        } finally {
            xnat.state().subscriptionsForProject(Seeds.DRIFT).forEach(s -> xnat.state().deleteSubscription(s.id()));
            xnat.state().deleteProject(Seeds.DRIFT);
        }
    }

    /** The demo seeds the drifted project's subscription third (after the demo's and the scratch project's). */
    private static JsonNode asInTheDemo(JsonNode report, long subscription) throws Exception {
        String json = report.toString().replace("subscription " + subscription + " (", "subscription 3 (")
                .replace("subscription " + subscription + ".", "subscription 3.");
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    }

    private static String xnatProjectOfTheDemoHub() {
        return Seeds.HUB;
    }
}
