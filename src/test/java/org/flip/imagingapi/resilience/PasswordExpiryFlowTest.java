package org.flip.imagingapi.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.flip.imagingapi.EmulatorFlowTest;
import org.flip.imagingapi.emulator.XnatEmulator;
import org.flip.imagingapi.emulator.XnatOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 13 point 1, end to end: the service account's XNAT password expires (XNAT answers every
 * request of the account, its login included, with a 302 to {@code XDATScreen_UpdateUser.vm}, and
 * opens a session each time). Requests then fail fast with a 502 that says so and how to fix it,
 * and the service logs in again once per back-off period, not once per request, so no session
 * pile-up reaches XNAT's cap. Its own context: the back-off it starts must not reach other tests.
 */
@TestPropertySource(properties = {"xnat.login.initial-backoff=8s", "xnat.login.max-backoff=8s"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class PasswordExpiryFlowTest extends EmulatorFlowTest {

    private static final Duration BACKOFF = Duration.ofSeconds(8);

    @Autowired
    ConfigurableApplicationContext context;

    @AfterEach
    void freshPassword() {
        xnat.setPasswordExpired(XnatEmulator.SERVICE_USER, false);
    }

    private ResponseEntity<JsonNode> listProjects() {
        return rest.exchange("/projects", HttpMethod.GET, new HttpEntity<>(keyHeaders()), JsonNode.class);
    }

    /** A live session of the service account, after any back-off an earlier test left. */
    private void liveSession() throws InterruptedException {
        long end = System.nanoTime() + BACKOFF.plusSeconds(10).toNanos();
        while (listProjects().getStatusCode().value() != 200) {
            assertThat(System.nanoTime()).as("the service logs in again once the password is fresh").isLessThan(end);
            Thread.sleep(250);
        }
        xnat.resetCounters();
    }

    @Test
    @Order(1)
    void anExpiredPasswordIsA502SayingSoAndRequestsFailFastWithoutNewSessions() throws Exception {
        liveSession();
        xnat.setPasswordExpired(XnatEmulator.SERVICE_USER, true);

        ResponseEntity<JsonNode> first = listProjects();

        assertThat(first.getStatusCode().value()).isEqualTo(502);
        assertThat(first.getBody().get("code").asText()).isEqualTo("xnat_service_account_rejected");
        String detail = first.getBody().get("detail").asText();
        assertThat(detail).contains("password has expired", "set a new password", "XNAT_SERVICE_PASSWORD",
                "non_expiring").doesNotContain("check XNAT_SERVICE_USER");
        // The request with the old session was redirected, then one login (redirected too, one session).
        assertThat(xnat.calls(XnatOps.LIST_PROJECTS)).isEqualTo(1);
        assertThat(xnat.logins()).isEqualTo(1);
        assertThat(xnat.sessionsOpened(XnatEmulator.SERVICE_USER)).isEqualTo(1);

        int callsBefore = xnat.totalCalls();
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            ResponseEntity<JsonNode> next = listProjects();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(next.getStatusCode().value()).isEqualTo(502);
            assertThat(next.getBody().get("code").asText()).isEqualTo("xnat_service_account_rejected");
            assertThat(next.getBody().get("detail").asText()).contains("password has expired", "non_expiring",
                    "next login attempt");
            assertThat(next.getHeaders().getFirst("Retry-After")).isNotNull();
            assertThat(took).isLessThan(Duration.ofSeconds(1));
        }
        assertThat(xnat.totalCalls()).as("XNAT calls during the back-off %s", xnat.callCounts())
                .isEqualTo(callsBefore);
        assertThat(xnat.sessionsOpened(XnatEmulator.SERVICE_USER)).isEqualTo(1);
    }

    @Test
    @Order(2)
    void afterTheBackOffOneLoginIsTriedAndAFreshPasswordIsPickedUpWithoutARestart() throws Exception {
        liveSession();
        xnat.setPasswordExpired(XnatEmulator.SERVICE_USER, true);
        listProjects();
        Thread.sleep(BACKOFF.plusMillis(300).toMillis());

        for (int i = 0; i < 5; i++) {
            assertThat(listProjects().getStatusCode().value()).isEqualTo(502);
        }
        assertThat(xnat.logins()).as("one login per back-off period").isEqualTo(2);
        assertThat(xnat.sessionsOpened(XnatEmulator.SERVICE_USER)).isEqualTo(2);

        // An administrator sets a new password for the same XNAT_SERVICE_PASSWORD (or grants non_expiring).
        xnat.setPasswordExpired(XnatEmulator.SERVICE_USER, false);
        Thread.sleep(BACKOFF.plusMillis(300).toMillis());
        assertThat(listProjects().getStatusCode().value()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void theNonExpiringRoleExemptsTheAccount() throws Exception {
        liveSession();
        xnat.setRole(XnatEmulator.SERVICE_USER, org.flip.imagingapi.emulator.User.NON_EXPIRING, true);
        try {
            xnat.setPasswordExpired(XnatEmulator.SERVICE_USER, true);
            xnat.expireAllSessions();

            assertThat(listProjects().getStatusCode().value()).isEqualTo(200);
            assertThat(xnat.logins()).isEqualTo(1);
        } finally {
            xnat.setRole(XnatEmulator.SERVICE_USER, org.flip.imagingapi.emulator.User.NON_EXPIRING, false);
        }
    }

    /** XNAT redirects the logout at shutdown too: a log line that says so, no stack trace, no "logged out". */
    @Test
    @Order(4)
    void aLogoutAtShutdownRedirectedByAnExpiredPasswordLogsNoStackTrace(CapturedOutput output) throws Exception {
        liveSession();
        xnat.setPasswordExpired(XnatEmulator.SERVICE_USER, true);
        int before = output.length();

        // What the context's shutdown does to the gateway (its @PreDestroy), without closing the context.
        context.getAutowireCapableBeanFactory().destroyBean(context.getBean("xnatGateway"));

        assertThat(xnat.calls(XnatOps.LOGOUT)).isEqualTo(1);
        String shutdown = output.toString().substring(before);
        assertThat(shutdown).contains("password has expired").doesNotContain("Logged out", "\tat ", "Exception");
    }
}
