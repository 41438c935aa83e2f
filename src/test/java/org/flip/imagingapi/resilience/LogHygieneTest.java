package org.flip.imagingapi.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flip.imagingapi.DemoXnatConfiguration;
import org.flip.imagingapi.EmulatorFlowTest;
import org.flip.imagingapi.config.InboundAuthProperties;
import org.flip.imagingapi.config.InvitationProperties;
import org.flip.imagingapi.config.XnatProperties;
import org.flip.imagingapi.emulator.AliasToken;
import org.flip.imagingapi.emulator.Fault;
import org.flip.imagingapi.emulator.User;
import org.flip.imagingapi.emulator.XnatEmulator;
import org.flip.imagingapi.emulator.XnatOps;
import org.flip.imagingapi.project.CentralHubProject;
import org.flip.imagingapi.project.CreatedProject;
import org.flip.imagingapi.user.CentralHubUser;
import org.flip.imagingapi.user.CreateUserRequest;
import org.flip.imagingapi.user.CreatedUser;
import org.flip.imagingapi.user.UpdateUserRequest;
import org.flip.imagingapi.xnat.NewAccount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * Every log line of the provisioning flow, the user endpoints, a session renewal and an XNAT
 * failure that quotes an e-mail: none may carry a password, the AES key, the inbound key, a
 * session id, an alias-token secret or an e-mail address.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogHygieneTest extends EmulatorFlowTest {

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern SESSION_COOKIE = Pattern.compile("JSESSIONID\\s*[=:]\\s*[^\\s;,\"]+");

    @Autowired
    ApplicationContext context;

    @Test
    void noSecretOrEmailReachesAnyLogLine(CapturedOutput output) throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Set<String> sessionIds = new LinkedHashSet<>();
        // An account that has logged in, one that never did (it gets a fresh invitation), two new ones, a disabled one.
        xnat.state().addUser(new User(0, "veteran" + tag, "veteran." + tag + "@hospital.example.org", "Vet", "Eran",
                true, true, "veteran-password-" + tag, System.currentTimeMillis(), System.currentTimeMillis(),
                Set.of()));
        xnat.state().addUser(new User(0, "dormant" + tag, "dormant." + tag + "@hospital.example.org", "Dor", "Mant",
                true, true, "dormant-password-" + tag, System.currentTimeMillis(), null, Set.of()));
        List<String> emails = List.of("veteran." + tag + "@hospital.example.org",
                "Dormant." + tag + "@Hospital.example.org", "fresh.one." + tag + "@hospital.example.org",
                "fresh.two." + tag + "@hospital.example.org");
        List<Map<String, Object>> users = new ArrayList<>();
        for (String email : emails) {
            users.add(Map.of("id", UUID.randomUUID().toString(), "email", email));
        }
        users.add(Map.of("id", UUID.randomUUID().toString(), "email", "gone." + tag + "@hospital.example.org",
                "is_disabled", true));
        Map<String, Object> hubProject = new LinkedHashMap<>();
        hubProject.put("project_id", UUID.randomUUID().toString());
        hubProject.put("trust_id", UUID.randomUUID().toString());
        hubProject.put("project_name", "Log hygiene " + tag);
        hubProject.put("users", users);

        ResponseEntity<JsonNode> provisioned = exchange("/projects/create-project-from-central-hub-project",
                HttpMethod.POST, hubProject);
        assertThat(provisioned.getStatusCode().value()).as("%s", provisioned.getBody()).isEqualTo(201);
        String project = provisioned.getBody().get("ID").asText();
        assertThat(provisioned.getBody().get("created_users")).hasSize(3);
        sessionIds.add(serviceSessionId());

        // The same request again (resumes), after XNAT dropped our session (re-login).
        xnat.expireAllSessions();
        assertThat(exchange("/projects/create-project-from-central-hub-project", HttpMethod.POST, hubProject)
                .getStatusCode().value()).isEqualTo(200);
        sessionIds.add(serviceSessionId());

        ResponseEntity<JsonNode> updated = exchange("/users", HttpMethod.PUT,
                Map.of("email", "veteran." + tag + "@hospital.example.org", "enabled", false));
        assertThat(updated.getStatusCode().value()).as("%s", updated.getBody()).isEqualTo(200);

        String password = "Created-by-post-" + tag;
        ResponseEntity<JsonNode> created = exchange("/users", HttpMethod.POST, Map.of("username", "posted" + tag,
                "password", password, "email", "posted." + tag + "@hospital.example.org", "firstName", "Pos",
                "lastName", "Ted"));
        assertThat(created.getStatusCode().value()).as("%s", created.getBody()).isEqualTo(201);

        String quoted = "quoted." + tag + "@hospital.example.org";
        // Every e-mail form XNAT might quote back, and a line of its text that would forge a log line.
        List<String> otherForms = List.of("\"john doe " + tag + "\"@hospital.example.org",
                "j\u00f6hn." + tag + "@ex\u00e4mple.org", "ip." + tag + "@[10.0.0.1]", "pct." + tag + "%40hospital.org");
        String forged = "2026-12-01T00:00:00.000Z ERROR 1 --- [imaging-api] [main] forged." + tag;
        xnat.inject(XnatOps.ADD_PROJECT_USER, Fault.status(500, "<html><body><h3>Could not add " + quoted
                + " to the group</h3><p>Contact " + quoted + " or " + String.join(", ", otherForms) + "</p>\r\n"
                + forged + "\n</body></html>"));
        ResponseEntity<JsonNode> failed = exchange("/users/add-to-project/posted" + tag + "/" + project,
                HttpMethod.PUT, null);
        assertThat(failed.getStatusCode().value()).isEqualTo(502);
        assertThat(failed.getBody().toString()).doesNotContain(quoted);
        xnat.clearFaults();
        xnat.inject(XnatOps.ADD_PROJECT_USER, Fault.status(500, "Could not add " + String.join(" or ", otherForms)));
        ResponseEntity<JsonNode> failedAgain = exchange("/users/add-to-project/posted" + tag + "/" + project,
                HttpMethod.PUT, null);
        assertThat(failedAgain.getStatusCode().value()).isEqualTo(502);
        assertThat(failedAgain.getBody().path("detail").asText()).contains("Could not add e-mail or e-mail or e-mail or e-mail");
        for (String form : otherForms) {
            assertThat(failed.getBody().toString() + failedAgain.getBody()).as("the answer").doesNotContain(form)
                    .doesNotContain(tag + "@").doesNotContain(tag + "\"@").doesNotContain(tag + "%40");
        }
        xnat.clearFaults();
        sessionIds.add(serviceSessionId());

        Set<String> secrets = new LinkedHashSet<>();
        secrets.add(XnatEmulator.SERVICE_PASSWORD);
        secrets.add(KEY);
        secrets.add(password);
        secrets.add("veteran-password-" + tag);
        secrets.add("dormant-password-" + tag);
        byte[] aes = Base64.getDecoder().decode(DemoXnatConfiguration.DEMO_AES_KEY);
        secrets.add(DemoXnatConfiguration.DEMO_AES_KEY);
        secrets.add(HexFormat.of().formatHex(aes));
        secrets.add(HexFormat.of().withUpperCase().formatHex(aes));
        secrets.add(Base64.getUrlEncoder().withoutPadding().encodeToString(aes));
        for (User user : xnat.state().users()) {
            if (user.username().endsWith(tag) && user.password() != null) {
                secrets.add(user.password()); // the random passwords of the accounts the flow created
            }
        }
        List<AliasToken> tokens = xnat.state().aliasTokens().stream()
                .filter(token -> token.username().endsWith(tag)).toList();
        assertThat(tokens).as("the flow minted invitations").hasSizeGreaterThanOrEqualTo(3);
        for (AliasToken token : tokens) {
            secrets.add(token.secret());
            secrets.add(token.alias());
        }
        sessionIds.remove(null);
        assertThat(sessionIds).as("the service's session ids were read").isNotEmpty();
        secrets.addAll(sessionIds);
        for (JsonNode createdUser : provisioned.getBody().get("created_users")) {
            secrets.add(createdUser.get("encrypted_setup_path").asText());
        }

        String logs = output.getAll();
        assertThat(logs).as("the flows ran with logging on").contains("Created XNAT project");
        for (String secret : secrets) {
            assertThat(logs).as("a secret of %d characters starting %s", secret.length(), secret.substring(0, 2))
                    .doesNotContain(secret);
        }
        for (String form : otherForms) {
            assertThat(logs).as("an e-mail in the log").doesNotContain(form).doesNotContain(tag + "@")
                    .doesNotContain(tag + "\"@").doesNotContain(tag + "%40");
        }
        assertThat(logs).as("XNAT's text was logged").contains("forged." + tag);
        assertThat(logs.lines().filter(line -> line.startsWith(forged))).as("a log line forged by XNAT").isEmpty();
        assertThat(firstMatch(SESSION_COOKIE, logs)).as("a session cookie in the log").isNull();
        assertThat(firstMatch(EMAIL, logs)).as("an e-mail address in the log").isNull();
    }

    @Test
    void recordsThatHoldSecretsOrEmailsDoNotPrintThem() {
        String email = "someone@hospital.example.org";
        String secret = "s3cr3t-value-" + UUID.randomUUID();
        List<Object> holders = List.of(
                new XnatProperties(URI.create("http://xnat"), "svc", secret, null, null, Duration.ofSeconds(1), 1,
                        null),
                new InvitationProperties(secret, "ctx"),
                new InboundAuthProperties(secret, "X-Key", secret + "-previous"),
                new CentralHubUser(UUID.randomUUID().toString(), email, false),
                new CentralHubProject(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "P", secret,
                        List.of(new CentralHubUser(UUID.randomUUID().toString(), email, false)), true),
                new CreatedUser("someone", email, secret),
                new CreatedProject("P", "P", List.of(new CreatedUser("someone", email, secret)), List.of(),
                        List.of(new org.flip.imagingapi.user.SkippedUser(email, "privileged_account")), null),
                new org.flip.imagingapi.user.SkippedUser(email, "privileged_account"),
                new NewAccount("someone", secret, email, "A", "B", true, true),
                new CreateUserRequest("someone", secret, email, "A", "B", true),
                new UpdateUserRequest(email, true),
                new org.flip.imagingapi.xnat.AliasToken("alias-0001", secret),
                new org.flip.imagingapi.model.User(1L, "someone", email, "A", "B", true, true, true, null, null));
        for (Object holder : holders) {
            assertThat(holder.toString()).as(holder.getClass().getSimpleName())
                    .doesNotContain(secret).doesNotContain(email);
        }
    }

    private ResponseEntity<JsonNode> exchange(String path, HttpMethod method, Object body) {
        return rest.exchange(path, method, new HttpEntity<>(body, keyHeaders()), JsonNode.class);
    }

    /** The service account's current JSESSIONID, read from the gateway (the emulator does not expose its sessions). */
    private String serviceSessionId() throws Exception {
        Object gateway = context.getBean(Class.forName("org.flip.imagingapi.xnat.XnatGateway"));
        Field sessionField = gateway.getClass().getDeclaredField("session");
        sessionField.setAccessible(true);
        Object session = sessionField.get(gateway);
        Field idField = session.getClass().getDeclaredField("sessionId");
        idField.setAccessible(true);
        return (String) idField.get(session);
    }

    private static String firstMatch(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return null;
        }
        int start = Math.max(0, matcher.start() - 120);
        return text.substring(start, Math.min(text.length(), matcher.end() + 40));
    }
}
