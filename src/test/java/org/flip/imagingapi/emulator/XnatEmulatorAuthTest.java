package org.flip.imagingapi.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class XnatEmulatorAuthTest extends DemoEmulatorTest {

    @Test
    void jsessionAnswersThe32HexSessionIdAsTextAndSetsAnHttpOnlyCookie() {
        var r = TestClient.admin(xnat).post("/data/JSESSION", null, null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        assertThat(r.body()).matches("[0-9A-F]{32}");
        assertThat(r.headers().allValues("Set-Cookie"))
                .contains("JSESSIONID=" + r.body() + "; Path=/; HttpOnly");
        assertThat(xnat.logins()).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.LOGIN)).isEqualTo(1);
    }

    @Test
    void getJsessionIsCountedSeparatelyFromPost() {
        var r = TestClient.admin(xnat).get("/data/JSESSION");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(xnat.calls(XnatOps.LOGIN_GET)).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.LOGIN)).isZero();
    }

    @Test
    void aReusedSessionCookieAvoidsBasicAuthAndCreatesNoNewSession() {
        String session = TestClient.admin(xnat).post("/data/JSESSION", null, null).body();

        var r = TestClient.cookie(xnat, session).get("/data/projects");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(xnat.activeSessions()).isEqualTo(1);
    }

    @Test
    void basicAuthOnAnyRequestCreatesASessionCookieThatWorksAfterwards() {
        var first = TestClient.admin(xnat).get("/xapi/users");
        String cookie = TestClient.sessionCookie(first);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(cookie).matches("[0-9A-F]{32}");
        assertThat(TestClient.cookie(xnat, cookie).get("/xapi/users").statusCode()).isEqualTo(200);
    }

    @Test
    void wrongCredentialsGetTomcatsUnauthorizedPageWithTheLoginFailureMessageAndNoChallenge() {
        var r = TestClient.basic(xnat, "imaging-api", "wrong").post("/data/JSESSION", null, null);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(r.body()).contains("<title>HTTP Status 401 \u2013 Unauthorized</title>")
                .contains("<h1>HTTP Status 401 \u2013 Unauthorized</h1>")
                .contains("Your login attempt failed because the username and password combination");
        assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(xnat.failedLogins()).isEqualTo(1);
        assertThat(xnat.logins()).isEqualTo(1);
    }

    @Test
    void noCredentialsGet401WithABasicChallenge() {
        var r = TestClient.anonymous(xnat).get("/data/projects");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"XNAT\"");
        assertThat(r.body()).contains("HTTP Status 401");
    }

    @Test
    void aBrowserWithoutCredentialsIsRedirectedToTheLoginPage() {
        var r = TestClient.anonymous(xnat).header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)")
                .get("/data/projects");

        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).get().asString().endsWith("/app/template/Login.vm");
    }

    @Test
    void sessionsExpireWhenIdleLongerThanTheTimeout() throws InterruptedException {
        xnat.setSessionIdleTimeout(Duration.ofMillis(150));
        String session = TestClient.admin(xnat).post("/data/JSESSION", null, null).body();
        assertThat(TestClient.cookie(xnat, session).get("/xapi/users").statusCode()).isEqualTo(200);

        Thread.sleep(400);

        assertThat(TestClient.cookie(xnat, session).get("/xapi/users").statusCode()).isEqualTo(401);
    }

    @Test
    void expireAllSessionsInvalidatesEveryCookie() {
        String s1 = TestClient.admin(xnat).post("/data/JSESSION", null, null).body();
        String s2 = TestClient.basic(xnat, "admin", "admin").post("/data/JSESSION", null, null).body();

        xnat.expireAllSessions();

        assertThat(TestClient.cookie(xnat, s1).get("/data/projects").statusCode()).isEqualTo(401);
        assertThat(TestClient.cookie(xnat, s2).get("/data/projects").statusCode()).isEqualTo(401);
    }

    @Test
    void deleteJsessionInvalidatesTheSession() {
        String session = TestClient.admin(xnat).post("/data/JSESSION", null, null).body();

        var r = TestClient.cookie(xnat, session).delete("/data/JSESSION");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(TestClient.cookie(xnat, session).get("/data/projects").statusCode()).isEqualTo(401);
    }

    @Test
    void consecutiveFailuresLockTheAccountEvenForTheCorrectPassword() {
        xnat.setMaxFailedLogins(3);
        for (int i = 0; i < 3; i++) {
            TestClient.basic(xnat, "jsmith", "nope").post("/data/JSESSION", null, null);
        }

        var locked = TestClient.basic(xnat, "jsmith", "jsmith-password").post("/data/JSESSION", null, null);

        assertThat(locked.statusCode()).isEqualTo(401);
        assertThat(xnat.failedLogins()).isEqualTo(4);
        xnat.unlockAllAccounts();
        assertThat(TestClient.basic(xnat, "jsmith", "jsmith-password").post("/data/JSESSION", null, null)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void aSuccessfulLoginResetsTheFailureCount() {
        xnat.setMaxFailedLogins(2);
        TestClient.basic(xnat, "jsmith", "nope").get("/data/projects");
        TestClient.basic(xnat, "jsmith", "jsmith-password").get("/data/projects");
        TestClient.basic(xnat, "jsmith", "nope").get("/data/projects");

        assertThat(TestClient.basic(xnat, "jsmith", "jsmith-password").get("/data/projects").statusCode())
                .isEqualTo(200);
    }

    @Test
    void loginRecordsLastSuccessfulLogin() {
        assertThat(xnat.state().userByUsername("jsmith").orElseThrow().lastSuccessfulLogin()).isNull();

        TestClient.basic(xnat, "jsmith", "jsmith-password").post("/data/JSESSION", null, null);

        assertThat(xnat.state().userByUsername("jsmith").orElseThrow().lastSuccessfulLogin()).isNotNull();
    }

    @Test
    void disabledUsersCannotLogIn() {
        var r = TestClient.basic(xnat, "former-member", "former-password").post("/data/JSESSION", null, null);

        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void theSessionCapRejectsFurtherLogins() {
        xnat.setMaxSessionsPerUser(2);
        TestClient.admin(xnat).get("/xapi/users");
        TestClient.admin(xnat).get("/xapi/users");

        assertThat(TestClient.admin(xnat).get("/xapi/users").statusCode()).isEqualTo(401);
    }

    // ------------------------------------------------------------------ password expiry (doc 2.2a)

    @Test
    void anExpiredPasswordTurnsEveryRequestIncludingTheLoginIntoA302ToTheChangePasswordPage() {
        xnat.setPasswordExpired(XnatEmulator.SERVICE_USER, true);

        var login = admin.post("/data/JSESSION", null, null);
        var listing = admin.get("/data/projects");
        var xapi = admin.get("/xapi/users");

        for (var r : List.of(login, listing, xapi)) {
            assertThat(r.statusCode()).isEqualTo(302);
            assertThat(r.headers().firstValue("Location"))
                    .contains(xnat.baseUrl() + "/app/template/XDATScreen_UpdateUser.vm");
            assertThat(r.body()).isEmpty();
            assertThat(TestClient.sessionCookie(r)).as("the credentials are right: a session is opened")
                    .matches("[0-9A-F]{32}");
        }
        assertThat(xnat.sessionsOpened(XnatEmulator.SERVICE_USER)).isEqualTo(3);
        assertThat(xnat.logins()).isEqualTo(1);
        assertThat(xnat.failedLogins()).isZero();
        var withCookie = TestClient.cookie(xnat, TestClient.sessionCookie(login)).get("/data/projects");
        assertThat(withCookie.statusCode()).as("the session it opened is redirected too").isEqualTo(302);
        assertThat(TestClient.basic(xnat, "jsmith", "jsmith-password").get("/data/projects").statusCode())
                .as("other accounts are untouched").isEqualTo(200);
    }

    @Test
    void expiredLoginsPileUpSessionsUntilTheSessionCapAnswers401() {
        xnat.setPasswordExpired(XnatEmulator.SERVICE_USER, true);
        xnat.setMaxSessionsPerUser(3);

        for (int i = 0; i < 3; i++) {
            assertThat(admin.post("/data/JSESSION", null, null).statusCode()).isEqualTo(302);
        }
        var capped = admin.post("/data/JSESSION", null, null);

        assertThat(capped.statusCode()).isEqualTo(401);
        assertThat(capped.body()).contains("Your login attempt failed because the username and password combination");
        assertThat(xnat.sessionsOpened()).isEqualTo(3);
        assertThat(xnat.activeSessions()).isEqualTo(3);
    }

    @Test
    void theNonExpiringRoleExemptsAnAccountFromPasswordExpiry() {
        xnat.setPasswordExpired(XnatEmulator.SERVICE_USER, true);
        TestClient siteAdmin = TestClient.basic(xnat, "admin", Seeds.ADMIN_PASSWORD);

        var grant = siteAdmin.put("/xapi/users/" + XnatEmulator.SERVICE_USER + "/roles/" + User.NON_EXPIRING, null,
                null);

        assertThat(grant.statusCode()).isEqualTo(200);
        assertThat(admin.post("/data/JSESSION", null, null).statusCode()).isEqualTo(200);
        assertThat(admin.get("/data/projects").statusCode()).isEqualTo(200);
        xnat.setRole(XnatEmulator.SERVICE_USER, User.NON_EXPIRING, false);
        assertThat(admin.get("/data/projects").statusCode()).isEqualTo(302);
    }

    @Test
    void aNewPasswordOrASiteWithoutPasswordExpiryEndsTheRedirects() {
        xnat.setPasswordExpired(XnatEmulator.SERVICE_USER, true);
        xnat.setPasswordExpirationEnabled(false);
        assertThat(admin.get("/data/projects").statusCode()).isEqualTo(200);
        xnat.setPasswordExpirationEnabled(true);
        assertThat(admin.get("/data/projects").statusCode()).isEqualTo(302);

        var reset = TestClient.basic(xnat, "admin", Seeds.ADMIN_PASSWORD).putJson(
                "/xapi/users/" + XnatEmulator.SERVICE_USER, "{\"password\":\"a-new-password\"}");

        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(TestClient.basic(xnat, XnatEmulator.SERVICE_USER, "a-new-password").post("/data/JSESSION", null,
                null).statusCode()).isEqualTo(200);
    }

    @Test
    void buildInfoIsOpenAndAllStrings() {
        var r = TestClient.anonymous(xnat).get("/xapi/siteConfig/buildInfo");

        assertThat(r.statusCode()).isEqualTo(200);
        var json = TestClient.json(r);
        assertThat(json.path("version").asText()).isEqualTo("1.9.3.6");
        json.fields().forEachRemaining(e -> assertThat(e.getValue().isTextual()).as(e.getKey()).isTrue());
    }

    @Test
    void anAliasTokenWorksAsBasicCredentials() {
        AliasToken t = xnat.state().issueToken("jsmith");

        var r = TestClient.basic(xnat, t.alias(), t.secret()).get("/xapi/users/jsmith");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestClient.json(r).path("username").asText()).isEqualTo("jsmith");
        assertThat(TestClient.basic(xnat, t.alias(), "bogus").get("/xapi/users").statusCode()).isEqualTo(401);
    }

    @Test
    void anEncodedSlashStaysInsideItsPathSegment() {
        var r = TestClient.admin(xnat).get("/data/projects/NEURO%2FMRI?format=json");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("<h3>Unable to find the specified experiment.</h3>");
        assertThat(xnat.calls(XnatOps.GET_PROJECT)).isEqualTo(1);
    }

    @Test
    void unknownRoutesAre404HtmlOnDataAndEmptyOnXapi() {
        var data = TestClient.admin(xnat).get("/data/version");
        var xapi = TestClient.admin(xnat).get("/xapi/nothing/here");

        assertThat(data.statusCode()).isEqualTo(404);
        assertThat(data.body()).contains("<h3>");
        assertThat(xapi.statusCode()).isEqualTo(404);
        assertThat(xapi.body()).isEmpty();
        assertThat(xnat.calls(XnatOps.UNKNOWN)).isEqualTo(2);
    }
}
