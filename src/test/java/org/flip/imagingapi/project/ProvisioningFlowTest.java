package org.flip.imagingapi.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Set;
import org.flip.imagingapi.EmulatorFlowTest;
import org.flip.imagingapi.emulator.Fault;
import org.flip.imagingapi.emulator.Subscription;
import org.flip.imagingapi.emulator.XnatEmulator;
import org.flip.imagingapi.emulator.XnatOps;
import org.flip.imagingapi.model.Project;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * The hub's provisioning call against the stateful emulator: one clean run, replays after a
 * failure at every XNAT step, concurrency, and the call budget. Assertions are on XNAT's state.
 */
class ProvisioningFlowTest extends EmulatorFlowTest {

    private static final String PATH = "/projects/create-project-from-central-hub-project";

    private record Hub(String projectId, List<String> emails) {
    }

    private static Hub newHub(int users) {
        String id = UUID.randomUUID().toString();
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            emails.add("user" + i + "." + id.substring(0, 8) + "@hospital.example.org");
        }
        return new Hub(id, emails);
    }

    private static Map<String, Object> body(Hub hub, boolean dicomToNifti) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project_id", hub.projectId());
        body.put("trust_id", UUID.randomUUID().toString());
        body.put("project_name", "Stroke & Brain"
                .replace("&", "and"));
        body.put("users", hub.emails().stream()
                .map(email -> Map.of("id", UUID.randomUUID().toString(), "email", email)).toList());
        body.put("dicom_to_nifti", dicomToNifti);
        return body; // no "query": it is optional
    }

    private ResponseEntity<JsonNode> provision(Object body) {
        return rest.exchange(PATH, HttpMethod.POST, new HttpEntity<>(body, keyHeaders()), JsonNode.class);
    }

    /** What one clean run leaves in XNAT for this hub project. */
    private void assertConverged(Hub hub, String expectedId, boolean active) {
        List<org.flip.imagingapi.emulator.Project> twins = xnat.state().projectsBySecondaryId(hub.projectId());
        assertThat(twins).hasSize(1);
        org.flip.imagingapi.emulator.Project project = twins.get(0);
        assertThat(project.id()).isEqualTo(expectedId);
        assertThat(project.prearchiveCode()).isEqualTo(4);
        assertThat(project.name()).isEqualTo("Stroke and Brain:" + hub.projectId() + "-FL-Project");
        List<Subscription> subscriptions = xnat.state().subscriptionsForProject(project.id());
        assertThat(subscriptions).hasSize(1);
        Subscription subscription = subscriptions.get(0);
        assertThat(subscription.active()).isEqualTo(active);
        // The seed gives dcm2niix command id 2 and wrapper id 3: the action key must carry the wrapper's.
        assertThat(subscription.actionKey()).isEqualTo("org.nrg.containers.services.CommandActionProvider:3");
        assertThat(subscription.eventType()).isEqualTo("org.nrg.xnat.eventservice.events.ScanEvent");
        Map<String, String> members = xnat.state().projectMembers(project.id());
        for (String email : hub.emails()) {
            assertThat(xnat.state().usersByEmail(email)).as(email).hasSize(1);
            String username = xnat.state().usersByEmail(email).get(0).username();
            assertThat(members).containsEntry(username, "Members");
        }
    }

    @Test
    void aCleanRunCreatesTheProjectItsSubscriptionAndItsUsersWithinTheCallBudget() {
        Hub hub = newHub(3);

        ResponseEntity<JsonNode> response = provision(body(hub, true));

        assertThat(response.getStatusCode().value()).isEqualTo(201);
        JsonNode created = response.getBody();
        assertThat(created.get("ID").asText()).isEqualTo(HubProjectIds.xnatIdFor(hub.projectId()));
        assertThat(created.get("created_users")).hasSize(3);
        assertThat(created.get("added_users")).hasSize(3);
        assertThat(created.get("created_users").get(0).get("encrypted_setup_path").asText()).isNotBlank();
        assertThat(created.get("skipped_users")).isEmpty();
        assertConverged(hub, created.get("ID").asText(), true);
        Subscription own = xnat.state().subscriptionsForProject(created.get("ID").asText()).get(0);
        assertThat(created.get("subscription").get("id").asLong()).isEqualTo(own.id());
        assertThat(created.get("subscription").get("active").asBoolean()).isTrue();
        assertThat(created.get("subscription").get("site_wide").asBoolean()).isFalse();
        int users = hub.emails().size();
        // 11: project lookup and create, prearchive code, command, wrapper, subscription listing (twice) and
        // create, member listing, user listing and the Administrators; then create, token and membership per user.
        assertThat(xnat.totalCalls() - xnat.logins()).as("XNAT calls %s", xnat.callCounts())
                .isLessThanOrEqualTo(11 + 3 * users);
        assertThat(xnat.calls(XnatOps.LIST_USER_PROFILES)).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.LIST_USERS_WITH_ROLE)).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.SHOW_TOKENS_FOR_USER)).as("new accounts hold no earlier tokens").isZero();
    }

    @Test
    void aReplayAfterSuccessAnswers200WithTheSameIdAndCreatesNothing() {
        Hub hub = newHub(2);
        String id = provision(body(hub, true)).getBody().get("ID").asText();
        int usersBefore = xnat.state().users().size();

        ResponseEntity<JsonNode> replay = provision(body(hub, true));

        assertThat(replay.getStatusCode().value()).isEqualTo(200);
        assertThat(replay.getBody().get("ID").asText()).isEqualTo(id);
        assertThat(xnat.state().users()).hasSize(usersBefore);
        assertConverged(hub, id, true);
    }

    @Test
    void dicomToNiftiFalseLeavesTheSubscriptionInactive() {
        Hub hub = newHub(0);

        ResponseEntity<JsonNode> response = provision(body(hub, false));

        assertThat(response.getStatusCode().value()).isEqualTo(201);
        assertConverged(hub, response.getBody().get("ID").asText(), false);
    }

    @ParameterizedTest(name = "a failure at {0}, then a replay, converges")
    @ValueSource(strings = {XnatOps.LIST_PROJECTS, XnatOps.CREATE_PROJECT, XnatOps.SET_PREARCHIVE_CODE,
            XnatOps.LIST_COMMANDS, XnatOps.ENABLE_WRAPPER_FOR_PROJECT, XnatOps.LIST_SUBSCRIPTIONS,
            XnatOps.CREATE_SUBSCRIPTION, XnatOps.LIST_PROJECT_USERS, XnatOps.LIST_USER_PROFILES, XnatOps.LIST_USERS_WITH_ROLE,
            XnatOps.CREATE_USER, XnatOps.ISSUE_TOKEN_FOR_USER, XnatOps.ADD_PROJECT_USER})
    void aFailureAtAnyStepThenAReplayConvergesOnOneCleanRun(String operation) {
        Hub hub = newHub(2);
        boolean create = operation.startsWith("POST ");
        // Idempotent calls are retried up to three times: make the failure outlast the retries. The per-user
        // steps run side by side, so a per-user call fails for every user (the retries of one user cannot
        // use up the faults meant for another).
        boolean perUser = List.of(XnatOps.CREATE_USER, XnatOps.ISSUE_TOKEN_FOR_USER, XnatOps.ADD_PROJECT_USER)
                .contains(operation);
        int users = hub.emails().size();
        xnat.inject(operation, Fault.status(500, "<html><h3>Injected failure</h3></html>")
                .times((create ? 1 : 3) * (perUser ? users : 1)));

        ResponseEntity<JsonNode> failed = provision(body(hub, true));
        xnat.clearFaults();
        ResponseEntity<JsonNode> replay = provision(body(hub, true));

        assertThat(failed.getStatusCode().value()).as("the injected failure surfaces").isEqualTo(502);
        assertThat(replay.getStatusCode().value()).isIn(200, 201);
        assertThat(replay.getBody().get("ID").asText()).isEqualTo(HubProjectIds.xnatIdFor(hub.projectId()));
        assertConverged(hub, replay.getBody().get("ID").asText(), true);
    }

    @Test
    void aDroppedConnectionOnTheCreateThenAReplayConverges() {
        Hub hub = newHub(1);
        xnat.inject(XnatOps.CREATE_PROJECT, Fault.dropConnection().times(1));

        ResponseEntity<JsonNode> first = provision(body(hub, true));
        ResponseEntity<JsonNode> replay = provision(body(hub, true));

        assertThat(first.getStatusCode().value()).isIn(201, 502);
        assertThat(replay.getStatusCode().value()).isIn(200, 201);
        assertConverged(hub, HubProjectIds.xnatIdFor(hub.projectId()), true);
    }

    @Test
    void twoConcurrentIdenticalRequestsEndWithOneProject() throws Exception {
        Hub hub = newHub(2);
        Map<String, Object> body = body(hub, true);

        CompletableFuture<ResponseEntity<JsonNode>> a = CompletableFuture.supplyAsync(() -> provision(body));
        CompletableFuture<ResponseEntity<JsonNode>> b = CompletableFuture.supplyAsync(() -> provision(body));

        List<Integer> statuses = List.of(a.get().getStatusCode().value(), b.get().getStatusCode().value());
        assertThat(statuses).containsExactlyInAnyOrder(200, 201);
        assertThat(a.get().getBody().get("ID").asText()).isEqualTo(b.get().getBody().get("ID").asText());
        assertConverged(hub, a.get().getBody().get("ID").asText(), true);
    }

    @Test
    void anotherReplicaHoldingTheIdIsResumedNotDuplicated() {
        Hub hub = newHub(1);
        // As if a second replica created it a moment ago (XNAT's 409 on the ID is the lock).
        String id = HubProjectIds.xnatIdFor(hub.projectId());
        xnat.state().addProject(id, hub.projectId(), "Stroke and Brain:" + hub.projectId() + "-FL-Project",
                "Project corresponding to central hub project " + hub.projectId());

        ResponseEntity<JsonNode> response = provision(body(hub, true));

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertConverged(hub, id, true);
    }

    @Test
    void aProjectNameWithXmlControlCharactersIs422AndNoXnatCall() {
        for (String name : List.of("evil<script>", "name>tag", "amp&injection", "</name><name>spoof", "bell\u0007")) {
            Map<String, Object> body = body(newHub(0), true);
            body.put("project_name", name);

            ResponseEntity<JsonNode> response = provision(body);

            assertThat(response.getStatusCode().value()).as(name).isEqualTo(422);
            assertThat(response.getBody().get("errors").get(0).get("field").asText()).isEqualTo("project_name");
            assertThat(response.getBody().toString()).doesNotContain("script");
        }
        assertThat(xnat.totalCalls()).isZero();
    }

    @Test
    void projectNamesTheHubAcceptsAreAcceptedEmptyAndUpToAThousandCharacters() {
        for (String name : List.of("", "n".repeat(1000))) {
            Hub hub = newHub(0);
            Map<String, Object> body = body(hub, true);
            body.put("project_name", name);

            ResponseEntity<JsonNode> response = provision(body);

            assertThat(response.getStatusCode().value()).as("%d characters", name.length()).isEqualTo(201);
            assertThat(xnat.state().projectsBySecondaryId(hub.projectId()).get(0).name())
                    .isEqualTo(name + ":" + hub.projectId() + "-FL-Project");
        }
        Map<String, Object> tooLong = body(newHub(0), true);
        tooLong.put("project_name", "n".repeat(1001));
        assertThat(provision(tooLong).getStatusCode().value()).isEqualTo(422);
    }

    @Test
    void malformedHubIdsAre422AndNoXnatCall() {
        Map<String, Object> body = body(newHub(0), true);
        body.put("project_id", "not-a-uuid");
        body.put("trust_id", "../etc");

        ResponseEntity<JsonNode> response = provision(body);

        assertThat(response.getStatusCode().value()).isEqualTo(422);
        assertThat(response.getBody().get("errors")).hasSize(2);
        assertThat(xnat.totalCalls()).isZero();
    }

    // ------------------------------------------------------------------ privileged accounts (contract §1.5)

    private static org.flip.imagingapi.emulator.User neverLoggedInAdministrator() {
        String name = "siteadmin" + UUID.randomUUID().toString().substring(0, 8);
        return xnat.state().addUser(name, name + "@trust.example.org", "Site", "Admin", "pw",
                Set.of(org.flip.imagingapi.emulator.User.ADMINISTRATOR));
    }

    private static long liveTokens(String username) {
        return xnat.state().aliasTokens().stream().filter(t -> t.username().equals(username) && t.enabled()).count();
    }

    @Test
    void hubUsersWithAnAdministratorsOrTheServiceAccountsEmailAreSkippedAndGetNoTokenNorMembership() {
        var administrator = neverLoggedInAdministrator();
        String service = xnat.state().userByUsername(XnatEmulator.SERVICE_USER).orElseThrow().email();
        Hub hub = newHub(1);
        // Other casing than XNAT's: matched case-insensitively, answered as the caller sent it.
        String adminEmail = administrator.email().toUpperCase(java.util.Locale.ROOT);
        Hub withPrivileged = new Hub(hub.projectId(), List.of(adminEmail, hub.emails().get(0), service));
        long serviceTokens = liveTokens(XnatEmulator.SERVICE_USER);

        ResponseEntity<JsonNode> response = provision(body(withPrivileged, true));

        assertThat(response.getStatusCode().value()).isEqualTo(201);
        JsonNode answer = response.getBody();
        assertThat(answer.get("skipped_users")).hasSize(2);
        assertThat(answer.get("skipped_users").get(0).get("email").asText()).isEqualTo(adminEmail);
        assertThat(answer.get("skipped_users").get(0).get("reason").asText()).isEqualTo("privileged_account");
        assertThat(answer.get("skipped_users").get(1).get("email").asText()).isEqualTo(service);
        assertThat(answer.get("skipped_users").get(1).get("reason").asText()).isEqualTo("privileged_account");
        assertThat(answer.get("created_users")).hasSize(1);
        assertThat(answer.get("added_users")).hasSize(1);
        assertThat(answer.get("added_users").get(0).get("email").asText()).isEqualTo(hub.emails().get(0));
        String id = answer.get("ID").asText();
        assertThat(xnat.state().projectMembers(id)).doesNotContainKey(administrator.username())
                .containsEntry(XnatEmulator.SERVICE_USER, "Owners"); // the creator, never moved to Members
        assertThat(liveTokens(administrator.username())).as("no login token for the Administrator").isZero();
        assertThat(liveTokens(XnatEmulator.SERVICE_USER)).isEqualTo(serviceTokens);
        assertThat(xnat.state().usersByEmail(adminEmail)).hasSize(1); // no twin account made for the e-mail
        assertThat(xnat.calls(XnatOps.LIST_USERS_WITH_ROLE)).as("one roles call per request").isEqualTo(1);
        assertThat(xnat.calls(XnatOps.LIST_USER_PROFILES)).isEqualTo(1);
    }

    /**
     * An XNAT without {@code GET /xapi/users/roles/{role}} (404: older than UsersApi.getUsersWithRole) is not
     * taken for one without administrators: the roles of the accounts holding the hub's e-mails are read one by
     * one ({@code GET /xapi/users/{u}/roles}), and the Administrator is still left out.
     */
    @Test
    void anXnatWithoutTheRoleHolderRouteIsAskedPerAccountAndTheAdministratorIsStillSkipped() {
        var administrator = neverLoggedInAdministrator();
        Hub hub = newHub(2);
        xnat.state().addUser("known" + UUID.randomUUID().toString().substring(0, 8), hub.emails().get(1), "Known",
                "User", "pw", Set.of());
        Hub withAdmin = new Hub(hub.projectId(), List.of(administrator.email(), hub.emails().get(0),
                hub.emails().get(1)));
        xnat.inject(XnatOps.LIST_USERS_WITH_ROLE, Fault.status(404, "<html><body>Not Found</body></html>"));

        ResponseEntity<JsonNode> response = provision(body(withAdmin, true));
        xnat.clearFaults();

        assertThat(response.getStatusCode().value()).isEqualTo(201);
        assertThat(response.getBody().get("skipped_users")).hasSize(1);
        assertThat(response.getBody().get("skipped_users").get(0).get("email").asText())
                .isEqualTo(administrator.email());
        assertThat(response.getBody().get("added_users")).hasSize(2);
        assertThat(liveTokens(administrator.username())).as("no login token for the Administrator").isZero();
        assertThat(xnat.state().projectMembers(response.getBody().get("ID").asText()))
                .doesNotContainKey(administrator.username());
        assertThat(xnat.calls(XnatOps.GET_USER_ROLES)).as("only the two existing accounts holding a hub e-mail")
                .isEqualTo(2);
    }

    @Test
    void aUserMadeAdministratorSinceTheLastRequestIsSkippedOnTheNextOne() {
        Hub hub = newHub(1);
        provision(body(hub, true));
        String username = xnat.state().usersByEmail(hub.emails().get(0)).get(0).username();
        xnat.setRole(username, org.flip.imagingapi.emulator.User.ADMINISTRATOR, true);
        long tokens = liveTokens(username);

        ResponseEntity<JsonNode> replay = provision(body(hub, true));

        assertThat(replay.getStatusCode().value()).isEqualTo(200);
        assertThat(replay.getBody().get("skipped_users").get(0).get("reason").asText()).isEqualTo("privileged_account");
        assertThat(replay.getBody().get("created_users")).isEmpty();
        assertThat(liveTokens(username)).isEqualTo(tokens);
        xnat.setRole(username, org.flip.imagingapi.emulator.User.ADMINISTRATOR, false);
    }

    // ------------------------------------------------------------------ invitation tokens (issue 15)

    @Test
    void replaysLeaveOneLiveTokenPerMemberWhoNeverLoggedIn() {
        Hub hub = newHub(1);
        for (int i = 0; i < 4; i++) {
            assertThat(provision(body(hub, true)).getBody().get("created_users")).hasSize(1);
        }
        String username = xnat.state().usersByEmail(hub.emails().get(0)).get(0).username();

        assertThat(liveTokens(username)).isEqualTo(1);
        // the live one is the last invitation answered
        ResponseEntity<JsonNode> last = provision(body(hub, true));
        assertThat(liveTokens(username)).isEqualTo(1);
        assertThat(last.getBody().get("created_users").get(0).get("encrypted_setup_path").asText()).isNotBlank();
    }

    @Test
    void aBacklogOfTokensShrinksByFivePerRequest() {
        Hub hub = newHub(1);
        provision(body(hub, true));
        String username = xnat.state().usersByEmail(hub.emails().get(0)).get(0).username();
        for (int i = 0; i < 7; i++) {
            xnat.state().issueToken(username);
        }
        assertThat(liveTokens(username)).isEqualTo(8);
        xnat.resetCounters();

        provision(body(hub, true));
        assertThat(liveTokens(username)).isEqualTo(4); // 8 - 5 + 1
        assertThat(xnat.calls(XnatOps.INVALIDATE_TOKEN)).isEqualTo(5);
        provision(body(hub, true));
        assertThat(liveTokens(username)).isEqualTo(1);
    }

    /**
     * Revoking is housekeeping: an XNAT whose token listing or revocation fails (an older AliasTokenRestlet
     * has no "show" and answers 400 "Unknown operation: show"; a 500; an HTML page) still gets the invitation
     * issued, and the earlier tokens stay live until they expire.
     */
    @ParameterizedTest(name = "token listing answering {0}: the invitation is still issued")
    @ValueSource(ints = {400, 403, 500})
    void aTokenListingThatFailsDoesNotWithholdTheInvitation(int status) {
        Hub hub = newHub(1);
        provision(body(hub, true));
        String username = xnat.state().usersByEmail(hub.emails().get(0)).get(0).username();
        long tokens = liveTokens(username);
        xnat.inject(XnatOps.SHOW_TOKENS_FOR_USER, Fault.status(status, "Unknown operation: show"));

        ResponseEntity<JsonNode> replay = provision(body(hub, true));
        xnat.clearFaults();

        assertThat(replay.getStatusCode().value()).isEqualTo(200);
        assertThat(replay.getBody().get("created_users")).hasSize(1);
        assertThat(replay.getBody().get("created_users").get(0).get("encrypted_setup_path").asText()).isNotBlank();
        assertThat(liveTokens(username)).as("nothing revoked, one more issued").isEqualTo(tokens + 1);
    }

    @Test
    void aRevocationThatFailsDoesNotWithholdTheInvitation() {
        Hub hub = newHub(1);
        provision(body(hub, true));
        String username = xnat.state().usersByEmail(hub.emails().get(0)).get(0).username();
        xnat.state().issueToken(username);
        xnat.inject(XnatOps.INVALIDATE_TOKEN, Fault.status(500, "<html><h3>Injected failure</h3></html>"));

        ResponseEntity<JsonNode> replay = provision(body(hub, true));
        xnat.clearFaults();

        assertThat(replay.getStatusCode().value()).isEqualTo(200);
        assertThat(replay.getBody().get("created_users")).hasSize(1);
    }

    // ------------------------------------------------------------------ per-user concurrency (issue 14)

    @Test
    void usersProvisionedSideBySideComeBackInTheHubsOrderAndLogUnderTheRequestId() {
        Hub hub = newHub(24);
        String requestId = "order-" + UUID.randomUUID();
        // Uneven XNAT latency, so that the steps finish out of order.
        xnat.inject(XnatOps.CREATE_USER, Fault.delay(java.time.Duration.ofMillis(120)), 0.5);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger userLog = (Logger) LoggerFactory.getLogger(org.flip.imagingapi.user.UserProvisioning.class);
        userLog.addAppender(logs);
        ResponseEntity<JsonNode> response;
        try {
            HttpHeaders headers = keyHeaders();
            headers.set("X-Request-ID", requestId);
            response = rest.exchange(PATH, HttpMethod.POST, new HttpEntity<>(body(hub, true), headers),
                    JsonNode.class);
        } finally {
            userLog.detachAppender(logs);
        }

        assertThat(response.getStatusCode().value()).isEqualTo(201);
        List<String> created = new ArrayList<>();
        response.getBody().get("created_users").forEach(u -> created.add(u.get("email").asText()));
        List<String> added = new ArrayList<>();
        response.getBody().get("added_users").forEach(u -> added.add(u.get("email").asText()));
        assertThat(created).containsExactlyElementsOf(hub.emails());
        assertThat(added).containsExactlyElementsOf(hub.emails());
        List<ILoggingEvent> creations = logs.list.stream()
                .filter(e -> e.getFormattedMessage().startsWith("Created XNAT user")).toList();
        assertThat(creations).hasSize(24);
        assertThat(creations).allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("requestId", requestId));
        assertThat(creations.stream().map(ILoggingEvent::getThreadName).distinct().count())
                .as("the steps ran on several threads").isGreaterThan(1);
    }
}
