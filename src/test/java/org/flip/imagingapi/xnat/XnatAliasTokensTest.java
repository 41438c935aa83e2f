package org.flip.imagingapi.xnat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.flip.imagingapi.web.XnatProblems;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.flip.imagingapi.xnat.AliasToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class XnatAliasTokensTest {

    WireMockServer xnat;
    XnatAliasTokens tokens;
    ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() {
        xnat = UsersWireMock.start();
        tokens = new XnatAliasTokens(UsersWireMock.gateway(xnat));
        logs.start();
        ((Logger) LoggerFactory.getLogger("org.flip.imagingapi")).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger("org.flip.imagingapi")).detachAppender(logs);
        xnat.stop();
    }

    @Test
    void issuesATokenForTheNamedUser() {
        xnat.stubFor(get("/data/services/tokens/issue/user/johndoe").willReturn(okJson("""
                {"alias":"al-123","secret":"sek ret","xdatUserId":"johndoe","singleUse":false,
                 "estimatedExpirationTime":1700000000000}""")));

        assertThat(tokens.issueFor("johndoe")).isEqualTo(new AliasToken("al-123", "sek ret"));
    }

    @Test
    void aTwoHundredWithoutASecretIsABadGatewayWithAClearDetail() {
        xnat.stubFor(get("/data/services/tokens/issue/user/johndoe").willReturn(okJson("{\"alias\":\"al-123\"}")));

        assertThatThrownBy(() -> tokens.issueFor("johndoe")).isInstanceOfSatisfying(XnatFailure.class, f -> {
            assertThat(XnatProblems.of(f).status().value()).isEqualTo(502);
            assertThat(f.detail()).contains("alias token issuance").contains("johndoe").contains("alias and a secret");
        });
    }

    @Test
    void aBodyThatIsNotJsonIsABadGatewayAndIsNeverLogged() {
        xnat.stubFor(get("/data/services/tokens/issue/user/johndoe").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withBody("alias=al-123 secret=TOPSECRET")));

        assertThatThrownBy(() -> tokens.issueFor("johndoe")).isInstanceOfSatisfying(XnatFailure.class,
                f -> assertThat(f.detail()).doesNotContain("TOPSECRET"));
        assertThat(logs.list).isNotEmpty().allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("TOPSECRET"));
    }

    @Test
    void anHtmlPageIsABadGateway() {
        xnat.stubFor(get("/data/services/tokens/issue/user/johndoe").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html><body>Login</body></html>")));

        assertThatThrownBy(() -> tokens.issueFor("johndoe")).isInstanceOf(XnatFailure.class);
    }

    @Test
    void refusalByXnatIsABadGatewayNamingTheStatus() {
        xnat.stubFor(get("/data/services/tokens/issue/user/johndoe").willReturn(aResponse().withStatus(403)));

        assertThatThrownBy(() -> tokens.issueFor("johndoe")).isInstanceOfSatisfying(XnatFailure.class, f -> {
            assertThat(XnatProblems.of(f).status().value()).isEqualTo(502);
            assertThat(f.detail()).contains("HTTP 403");
        });
    }

    @Test
    void theSecretOfASuccessfulTokenIsNeverLogged() {
        xnat.stubFor(get("/data/services/tokens/issue/user/johndoe")
                .willReturn(okJson("{\"alias\":\"al-123\",\"secret\":\"TOPSECRET\"}")));

        tokens.issueFor("johndoe");

        assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("TOPSECRET"));
    }

    @Test
    void theSetPasswordPathIsHostLessWithBothValuesPercentEncoded() {
        String path = XnatAliasTokens.setPasswordPath(new AliasToken("al-123", "sek ret"));

        assertThat(path).isEqualTo("/app/template/XDATScreen_UpdateUser.vm?a=al-123&s=sek%20ret")
                .doesNotStartWith("http");
    }

    @Test
    void reservedCharactersAreEncodedAsInRfc3986() {
        String path = XnatAliasTokens.setPasswordPath(new AliasToken("a", "a+b/c?d&e=f~g_h.i-j é"));

        assertThat(path).endsWith("&s=a%2Bb%2Fc%3Fd%26e%3Df~g_h.i-j%20%C3%A9");
    }

    @Test
    void aFailedIssuanceIsNotReplayed() {
        xnat.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/data/services/tokens/issue/user/johndoe"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(500)));

        assertThatThrownBy(() -> tokens.issueFor("johndoe")).isInstanceOf(XnatFailure.class);

        xnat.verify(1, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/data/services/tokens/issue/user/johndoe")));
    }

    @Test
    void theUsersTokensAreListedByAliasAndTheirSecretsNeverLogged() {
        xnat.stubFor(get("/data/services/tokens/show/user/johndoe").willReturn(okJson("""
                [{"alias":"al-1","secret":"secret-one-not-for-logs","xdatUserId":"johndoe"},
                 {"secret":"no-alias"},{"alias":"al-2","secret":"secret-two-not-for-logs"}]""")));

        assertThat(tokens.aliasesOf("johndoe")).containsExactly("al-1", "al-2");
        assertThat(logs.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains("not-for-logs"));
    }

    @Test
    void aTokenListingThatIsNotAListIsABadGatewayWithoutTheBodyInTheLog() {
        xnat.stubFor(get("/data/services/tokens/show/user/johndoe").willReturn(okJson(
                "{\"alias\":\"al-1\",\"secret\":\"secret-not-for-logs\"}")));

        assertThatThrownBy(() -> tokens.aliasesOf("johndoe")).isInstanceOfSatisfying(XnatFailure.class, f -> {
            assertThat(XnatProblems.of(f).status().value()).isEqualTo(502);
            assertThat(f.detail()).contains("alias token listing").doesNotContain("secret-not-for-logs");
        });
        assertThat(logs.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains("not-for-logs"));
    }

    @Test
    void revokingCallsInvalidateAndATokenAlreadyGoneIsFine() {
        xnat.stubFor(get("/data/services/tokens/invalidate/al-1").willReturn(okJson("{\"result\": \"OK\"}")));
        xnat.stubFor(get("/data/services/tokens/invalidate/al-gone").willReturn(aResponse().withStatus(404)));
        xnat.stubFor(get("/data/services/tokens/invalidate/al-refused").willReturn(aResponse().withStatus(403)));

        tokens.revoke("al-1");
        tokens.revoke("al-gone");
        assertThatThrownBy(() -> tokens.revoke("al-refused")).isInstanceOfSatisfying(XnatFailure.class,
                f -> assertThat(XnatProblems.of(f).status().value()).isEqualTo(502));
        xnat.verify(1, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/data/services/tokens/invalidate/al-1")));
    }
}
