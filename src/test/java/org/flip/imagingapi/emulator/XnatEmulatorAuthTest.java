package org.flip.imagingapi.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
