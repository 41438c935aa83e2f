package org.flip.imagingapi.user;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.flip.imagingapi.OpenApiResponseValidation;
import org.flip.imagingapi.emulator.AliasToken;
import org.flip.imagingapi.emulator.EmulatorState;
import org.flip.imagingapi.emulator.ProjectGroup;
import org.flip.imagingapi.emulator.XnatEmulator;
import org.flip.imagingapi.emulator.XnatOps;
import org.flip.imagingapi.model.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The user endpoints against the stateful XNAT emulator; assertions are on the emulator's state. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(OpenApiResponseValidation.class)
class UserFlowTest {

    static final XnatEmulator xnat = XnatEmulator.start();
    static final String KEY = "test-trust-key-5f0c2a9e4b7d1e3c8a6f";
    static final String AES_KEY = InvitationCipherTest.KEY;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("xnat.url", xnat::baseUrl);
        registry.add("xnat.service-user", () -> XnatEmulator.SERVICE_USER);
        registry.add("xnat.service-password", () -> XnatEmulator.SERVICE_PASSWORD);
        registry.add("trust.internal-service.key", () -> KEY);
        registry.add("imaging-api.invitation.aes-key-base64", () -> AES_KEY);
    }

    @AfterAll
    static void stop() {
        xnat.close();
    }

    @Autowired
    TestRestTemplate rest;

    final ObjectMapper json = new ObjectMapper();
    String project;

    @BeforeEach
    void aProject() {
        project = "P" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        state().addProject(project, project, project, "flow test project");
        xnat.resetCounters();
    }

    static EmulatorState state() {
        return xnat.state();
    }

    HttpHeaders headers() {
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-Trust-Internal-Service-Key", KEY);
        headers.setContentType(MediaType.APPLICATION_JSON);
        return headers;
    }

    ResponseEntity<JsonNode> call(HttpMethod method, String path, Object body) {
        return rest.exchange(path, method, new HttpEntity<>(body, headers()), JsonNode.class);
    }

    static String unique(String stem) {
        return stem + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> hubUser(String email, boolean disabled) {
        return Map.of("id", UUID.randomUUID().toString(), "email", email, "is_disabled", disabled);
    }

    @Test
    void provisioningTwentyUsersReadsTheUserListingOnceAndARepeatCreatesNobodyTwice() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        List<Map<String, Object>> users = new ArrayList<>();
        Set<String> expectedInvited = new java.util.HashSet<>();
        // 5 existing accounts that have logged in: added only.
        for (int i = 0; i < 5; i++) {
            String username = "active" + tag + i;
            var account = state().addUser(username, username + "@hospital.nhs.uk", "A", "B", "pw", Set.of());
            state().updateUser(account.withLastSuccessfulLogin(1700000000000L));
            users.add(hubUser(username.toUpperCase() + "@Hospital.NHS.uk", false));
        }
        // 5 existing accounts that never logged in: added and re-invited.
        for (int i = 0; i < 5; i++) {
            String username = "idle" + tag + i;
            state().addUser(username, username + "@hospital.nhs.uk", "A", "B", "pw", Set.of());
            users.add(hubUser(username + "@hospital.nhs.uk", false));
            expectedInvited.add(username);
        }
        // 5 disabled hub users, one of them with an account: skipped entirely.
        state().addUser("gone" + tag, "gone" + tag + "@hospital.nhs.uk", "A", "B", "pw", Set.of());
        for (int i = 0; i < 5; i++) {
            users.add(hubUser((i == 0 ? "gone" + tag : "off" + tag + i) + "@hospital.nhs.uk", true));
        }
        // 5 new people, two of them sharing a local part with each other and with someone else's account.
        state().addUser("new" + tag + "x", "someone.else" + tag + "@elsewhere.org", "A", "B", "pw", Set.of());
        users.add(hubUser("new" + tag + "x@hospital.nhs.uk", false));
        users.add(hubUser("new" + tag + "x@other.nhs.uk", false));
        for (int i = 0; i < 3; i++) {
            users.add(hubUser("new." + tag + "." + i + "@hospital.nhs.uk", false));
        }
        int accountsBefore = state().users().size();

        ResponseEntity<JsonNode> first = call(HttpMethod.POST, "/projects/" + project + "/users", Map.of("users", users));

        assertThat(first.getStatusCode().value()).isEqualTo(200);
        assertThat(xnat.calls(XnatOps.LIST_USER_PROFILES)).isEqualTo(1);
        assertThat(state().users()).hasSize(accountsBefore + 5);
        List<String> created = names(first.getBody().get("created_users"));
        List<String> added = names(first.getBody().get("added_users"));
        assertThat(added).hasSize(15).doesNotHaveDuplicates();
        assertThat(created).hasSize(10).containsAll(expectedInvited).doesNotContain("new" + tag + "x");
        assertThat(added).contains("new" + tag + "x1", "new" + tag + "x2", "new" + tag + "0");
        assertThat(state().projectMembers(project)).containsAllEntriesOf(
                added.stream().collect(java.util.stream.Collectors.toMap(u -> u, u -> "Members")));
        assertThat(state().projectMembers(project)).doesNotContainKey("gone" + tag);
        for (JsonNode invitation : first.getBody().get("created_users")) {
            assertValidInvitation(invitation);
        }

        xnat.resetCounters();
        ResponseEntity<JsonNode> again = call(HttpMethod.POST, "/projects/" + project + "/users", Map.of("users", users));

        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(xnat.calls(XnatOps.LIST_USER_PROFILES)).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.CREATE_USER)).isZero();
        assertThat(state().users()).hasSize(accountsBefore + 5);
        assertThat(names(again.getBody().get("added_users"))).containsExactlyInAnyOrderElementsOf(added);
        // Nobody has logged in since: everyone invited before is invited afresh, with a new token.
        assertThat(names(again.getBody().get("created_users"))).containsExactlyInAnyOrderElementsOf(created);
        for (String hubEmail : users.stream().map(u -> (String) u.get("email")).toList()) {
            assertThat(state().usersByEmail(hubEmail)).hasSizeLessThanOrEqualTo(1);
        }
    }

    private void assertValidInvitation(JsonNode invitation) throws Exception {
        String path = InvitationCipherTest.decrypt(invitation.get("encrypted_setup_path").textValue(),
                "FLIP|v1|shared|xnat_setup_path");
        assertThat(path).startsWith("/app/template/XDATScreen_UpdateUser.vm?a=");
        Map<String, String> query = new HashMap<>();
        for (String pair : path.substring(path.indexOf('?') + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        AliasToken token = state().aliasToken(query.get("a")).orElseThrow();
        assertThat(token.secret()).isEqualTo(query.get("s"));
        assertThat(token.username()).isEqualTo(invitation.get("username").textValue());
    }

    private static List<String> names(JsonNode users) {
        List<String> names = new ArrayList<>();
        users.forEach(u -> names.add(u.get("username").textValue()));
        return names;
    }

    @Test
    void provisioningIntoAnUnknownProjectIsNotFoundAndCreatesNobody() {
        int accountsBefore = state().users().size();

        ResponseEntity<JsonNode> response = call(HttpMethod.POST, "/projects/NOPE" + project + "/users",
                Map.of("users", List.of(hubUser(unique("nobody") + "@x.org", false))));

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(state().users()).hasSize(accountsBefore);
    }

    @Test
    void listingSurvivesOddAccounts() {
        state().addUser(unique("admin"), "admin@localhost", "Admin", "Admin", "pw", Set.of());
        state().addUser(new org.flip.imagingapi.emulator.User(0, unique("bare"), null, null, null, true, false, "pw",
                null, null, Set.of()));

        ResponseEntity<JsonNode> response = call(HttpMethod.GET, "/users", null);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody().size()).isGreaterThanOrEqualTo(3);
        assertThat(response.getBody().findValuesAsText("email")).contains("admin@localhost");
    }

    @Test
    void anAccountIsCreatedOnceReadAndThenAConflict() {
        String username = "flow" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = Map.of("username", username, "password", "S3cret!S3cret!S3cret!",
                "email", username + "@hospital.nhs.uk", "firstName", "Flow", "lastName", "Test");

        ResponseEntity<JsonNode> created = call(HttpMethod.POST, "/users", body);
        ResponseEntity<JsonNode> again = call(HttpMethod.POST, "/users", body);
        ResponseEntity<JsonNode> read = call(HttpMethod.GET, "/users/" + username, null);

        assertThat(created.getStatusCode().value()).isEqualTo(201);
        assertThat(created.getHeaders().getLocation()).hasToString("/users/" + username);
        assertThat(again.getStatusCode().value()).isEqualTo(409);
        assertThat(read.getStatusCode().value()).isEqualTo(200);
        assertThat(read.getBody().get("email").textValue()).isEqualTo(username + "@hospital.nhs.uk");
        assertThat(state().userByUsername(username)).get().satisfies(u -> {
            assertThat(u.enabled()).isTrue();
            assertThat(u.verified()).isTrue();
        });
        assertThat(call(HttpMethod.GET, "/users/no" + username, null).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void theHubsProfileUpdateDisablesByEmailAndAnUnchangedUpdateIsStillOk() {
        String username = "upd" + UUID.randomUUID().toString().substring(0, 8);
        state().addUser(username, username + "@hospital.nhs.uk", "U", "P", "pw", Set.of());

        ResponseEntity<JsonNode> disabled = call(HttpMethod.PUT, "/users",
                Map.of("email", username.toUpperCase() + "@HOSPITAL.nhs.uk", "enabled", false));
        ResponseEntity<JsonNode> unchanged = call(HttpMethod.PUT, "/users",
                Map.of("email", username.toUpperCase() + "@HOSPITAL.nhs.uk", "enabled", false));
        ResponseEntity<JsonNode> unknown = call(HttpMethod.PUT, "/users",
                Map.of("email", "no" + username + "@hospital.nhs.uk", "enabled", false));

        assertThat(disabled.getStatusCode().value()).isEqualTo(200);
        assertThat(disabled.getBody().get("enabled").booleanValue()).isFalse();
        assertThat(state().userByUsername(username).orElseThrow().enabled()).isFalse();
        assertThat(unchanged.getStatusCode().value()).isEqualTo(200);
        assertThat(unchanged.getBody().get("username").textValue()).isEqualTo(username);
        assertThat(unknown.getStatusCode().value()).isEqualTo(404);
        // only the flag went to XNAT: its stored e-mail keeps XNAT's casing, not the caller's
        assertThat(state().userByUsername(username).orElseThrow().email()).isEqualTo(username + "@hospital.nhs.uk");
    }

    @Test
    void theProfileUpdateOfAnAdministratorOrTheServiceAccountIs403AndNothingReachesXnat() {
        String admin = "adm" + UUID.randomUUID().toString().substring(0, 8);
        state().addUser(admin, admin + "@hospital.nhs.uk", "A", "D", "pw", Set.of(org.flip.imagingapi.emulator.User.ADMINISTRATOR));
        String serviceEmail = state().userByUsername(XnatEmulator.SERVICE_USER).orElseThrow().email();

        for (String email : List.of(admin.toUpperCase() + "@hospital.nhs.uk", serviceEmail)) {
            for (boolean enabled : new boolean[] {false, true}) {
                ResponseEntity<JsonNode> refused = call(HttpMethod.PUT, "/users",
                        Map.of("email", email, "enabled", enabled));

                assertThat(refused.getStatusCode().value()).as(email).isEqualTo(403);
                assertThat(refused.getBody().get("code").asText()).isEqualTo("privileged_account");
                assertThat(refused.getBody().toString()).doesNotContain(email).doesNotContain(admin);
            }
        }
        assertThat(xnat.calls(XnatOps.UPDATE_USER) + xnat.calls(XnatOps.SET_USER_ENABLED))
                .as("no write reaches XNAT").isZero();
        assertThat(state().userByUsername(admin).orElseThrow().enabled()).isTrue();
        assertThat(state().userByUsername(XnatEmulator.SERVICE_USER).orElseThrow().enabled()).isTrue();
        // the service account is known without asking XNAT; the Administrator takes one roles call per request
        assertThat(xnat.calls(XnatOps.LIST_USERS_WITH_ROLE)).isEqualTo(2);
    }

    @Test
    void anXnatWithoutTheRoleHolderRouteIsAskedForTheAccountsRolesAndTheAdministratorIs403() {
        String admin = "adm" + UUID.randomUUID().toString().substring(0, 8);
        state().addUser(admin, admin + "@hospital.nhs.uk", "A", "D", "pw", Set.of(org.flip.imagingapi.emulator.User.ADMINISTRATOR));
        xnat.inject(XnatOps.LIST_USERS_WITH_ROLE, org.flip.imagingapi.emulator.Fault.status(404, "Not Found"));

        ResponseEntity<JsonNode> refused = call(HttpMethod.PUT, "/users", Map.of("email", admin + "@hospital.nhs.uk",
                "enabled", false));
        xnat.clearFaults();

        assertThat(refused.getStatusCode().value()).isEqualTo(403);
        assertThat(refused.getBody().get("code").asText()).isEqualTo("privileged_account");
        assertThat(xnat.calls(XnatOps.GET_USER_ROLES)).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.UPDATE_USER) + xnat.calls(XnatOps.SET_USER_ENABLED)).isZero();
        assertThat(state().userByUsername(admin).orElseThrow().enabled()).isTrue();
    }

    @Test
    void addingToAProjectPutsTheUserInTheGroupAndAnotherRoleMovesThem() {
        String username = "mem" + UUID.randomUUID().toString().substring(0, 8);
        state().addUser(username, username + "@hospital.nhs.uk", "M", "E", "pw", Set.of());

        ResponseEntity<JsonNode> member = call(HttpMethod.PUT, "/users/add-to-project/" + username + "/" + project, null);
        assertThat(member.getStatusCode().value()).isEqualTo(200);
        assertThat(state().membership(project, username)).contains(ProjectGroup.MEMBERS);

        ResponseEntity<JsonNode> owner = call(HttpMethod.PUT,
                "/users/add-to-project/" + username + "/" + project + "?role=Owners", null);
        assertThat(owner.getStatusCode().value()).isEqualTo(200);
        assertThat(state().membership(project, username)).contains(ProjectGroup.OWNERS);

        assertThat(call(HttpMethod.PUT, "/users/add-to-project/" + username + "/NOPE" + project, null)
                .getStatusCode().value()).isEqualTo(404);
        assertThat(call(HttpMethod.PUT, "/users/add-to-project/no" + username + "/" + project, null)
                .getStatusCode().value()).isEqualTo(404);
    }
}
