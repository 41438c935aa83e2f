package org.flip.imagingapi.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class XnatEmulatorUsersTest extends DemoEmulatorTest {

    private JsonNode profile(String username) {
        for (JsonNode u : TestClient.json(admin.get("/xapi/users/profiles"))) {
            if (u.path("username").asText().equals(username)) {
                return u;
            }
        }
        throw new AssertionError("no profile " + username);
    }

    @Test
    void usernameListIncludesGuest() {
        List<String> names = new ArrayList<>();
        TestClient.json(admin.get("/xapi/users")).forEach(n -> names.add(n.asText()));

        assertThat(names).contains("guest", "imaging-api", "admin", "jsmith");
    }

    @Test
    void profilesOmitNullDatesAndUseEpochMillis() {
        JsonNode admin = profile("admin");
        JsonNode jsmith = profile("jsmith");

        assertThat(admin.has("lastModified")).isFalse();
        assertThat(admin.path("email").asText()).isEqualTo("admin@localhost");
        assertThat(jsmith.has("lastSuccessfulLogin")).isFalse();
        assertThat(jsmith.path("lastModified").isNumber()).isTrue();
        assertThat(jsmith.path("secured").asBoolean()).isTrue();
        assertThat(jsmith.has("password")).isFalse();
    }

    @Test
    void unknownProfileIs404ButUnknownUserIs500() {
        assertThat(admin.get("/xapi/users/profile/nobody").statusCode()).isEqualTo(404);
        var r = admin.get("/xapi/users/nobody");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
    }

    @Test
    void createUserAnswers201WithTheUserJson() {
        var r = admin.postJson("/xapi/users", "{\"username\":\"newbie\",\"email\":\"n@example.org\","
                + "\"firstName\":\"New\",\"lastName\":\"Bie\",\"password\":\"pw\",\"enabled\":true,"
                + "\"verified\":true,\"unknownField\":1}");

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(TestClient.json(r).path("username").asText()).isEqualTo("newbie");
        assertThat(TestClient.json(r).path("id").isNumber()).isTrue();
        assertThat(TestClient.basic(xnat, "newbie", "pw").get("/xapi/users").statusCode()).isEqualTo(200);
    }

    @Test
    void duplicateUsernameIs409ButDuplicateEmailIsAllowed() {
        String dup = "{\"username\":\"jsmith\",\"email\":\"x@example.org\",\"firstName\":\"J\",\"lastName\":\"S\"}";
        String sameEmail = "{\"username\":\"jsmith2\",\"email\":\"jane.smith@example.org\",\"firstName\":\"J\","
                + "\"lastName\":\"S\"}";

        assertThat(admin.postJson("/xapi/users", dup).statusCode()).isEqualTo(409);
        assertThat(admin.postJson("/xapi/users", sameEmail).statusCode()).isEqualTo(201);
        assertThat(xnat.state().usersByEmail("Jane.Smith@example.org")).hasSize(2);
    }

    @Test
    void missingAndInvalidFieldsAre400PlainText() {
        var missing = admin.postJson("/xapi/users", "{\"username\":\"abc\"}");
        var invalid = admin.postJson("/xapi/users", "{\"username\":\"1abc\",\"email\":\"not-an-email\","
                + "\"firstName\":\"A<b\",\"lastName\":\"B\"}");

        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        assertThat(missing.body()).startsWith("Missing fields: ").contains("email", "firstName", "lastName");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).startsWith("Invalid fields: ").contains("username", "email", "firstName");
    }

    @Test
    void verifiedIsOnlyHonouredWhenEnabledIsSupplied() {
        admin.postJson("/xapi/users", "{\"username\":\"u1\",\"email\":\"u1@example.org\",\"firstName\":\"A\","
                + "\"lastName\":\"B\",\"verified\":false}");
        admin.postJson("/xapi/users", "{\"username\":\"u2\",\"email\":\"u2@example.org\",\"firstName\":\"A\","
                + "\"lastName\":\"B\",\"enabled\":true,\"verified\":false}");

        assertThat(xnat.state().userByUsername("u1").orElseThrow().verified()).isTrue();
        assertThat(xnat.state().userByUsername("u2").orElseThrow().verified()).isFalse();
    }

    @Test
    void nonAdminsCannotCreateUsers() {
        var r = TestClient.basic(xnat, "jsmith", "jsmith-password").postJson("/xapi/users",
                "{\"username\":\"x\",\"email\":\"x@example.org\",\"firstName\":\"A\",\"lastName\":\"B\"}");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void updatingWithoutChangesIs304AndAChangeIs200() {
        var same = admin.putJson("/xapi/users/jsmith", "{\"email\":\"jane.smith@example.org\",\"enabled\":true}");
        var changed = admin.putJson("/xapi/users/jsmith", "{\"email\":\"jane@example.org\"}");

        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(TestClient.json(changed).path("email").asText()).isEqualTo("jane@example.org");
        assertThat(admin.putJson("/xapi/users/nobody", "{\"enabled\":false}").statusCode()).isEqualTo(404);
    }

    @Test
    void theEnabledFlagEndpointDisablesGuest() {
        assertThat(admin.put("/xapi/users/guest/enabled/false", null, null).statusCode()).isEqualTo(200);
        assertThat(xnat.state().userByUsername("guest").orElseThrow().enabled()).isFalse();
        assertThat(admin.put("/xapi/users/nobody/enabled/false", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void disablingAUserDeactivatesTheirAliasTokens() {
        AliasToken t = xnat.state().issueToken("jsmith");

        admin.putJson("/xapi/users/jsmith", "{\"enabled\":false}");

        assertThat(xnat.state().aliasToken(t.alias()).orElseThrow().enabled()).isFalse();
        assertThat(TestClient.basic(xnat, t.alias(), t.secret()).get("/xapi/users").statusCode()).isEqualTo(401);
    }

    @Test
    void adminsIssueAliasTokensForOtherUsers() {
        var r = admin.get("/data/services/tokens/issue/user/jsmith");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode t = TestClient.json(r);
        assertThat(t.path("alias").asText()).matches("[0-9a-f-]{36}");
        assertThat(t.path("secret").asText()).matches("[A-Za-z0-9]{64}");
        assertThat(t.path("xdatUserId").asText()).isEqualTo("jsmith");
        assertThat(t.path("estimatedExpirationTime").isNumber()).isTrue();
        assertThat(t.path("disabled").asInt()).isZero();
        assertThat(xnat.state().aliasTokens()).extracting(AliasToken::alias).contains(t.path("alias").asText());

        var valid = admin.get("/data/services/tokens/validate/" + t.path("alias").asText() + "/"
                + t.path("secret").asText());
        assertThat(TestClient.json(valid).path("valid").asText()).isEqualTo("jsmith");
    }

    @Test
    void tokenIssueIsAdminOnlyAnd404ForUnknownUsers() {
        var nonAdmin = TestClient.basic(xnat, "jsmith", "jsmith-password")
                .get("/data/services/tokens/issue/user/admin");

        assertThat(nonAdmin.statusCode()).isEqualTo(403);
        assertThat(admin.get("/data/services/tokens/issue/user/nobody").statusCode()).isEqualTo(404);
    }

    @Test
    void usersWithARoleAreListedByUsernameForAdminsOnly() {
        xnat.addAccount("second-admin", "second-password", true);
        xnat.state().updateUser(xnat.state().userByUsername("jsmith").orElseThrow()
                .withRoles(java.util.Set.of(User.ADMINISTRATOR)));

        List<String> admins = new ArrayList<>();
        TestClient.json(admin.get("/xapi/users/roles/Administrator")).forEach(n -> admins.add(n.asText()));
        List<String> dqr = new ArrayList<>();
        TestClient.json(admin.get("/xapi/users/roles/Dqr")).forEach(n -> dqr.add(n.asText()));
        var nobody = TestClient.json(admin.get("/xapi/users/roles/NoSuchRole"));
        var nonAdmin = TestClient.basic(xnat, "dqr-operator", "dqr-password").get("/xapi/users/roles/Administrator");

        assertThat(admins).containsExactlyInAnyOrder("imaging-api", "admin", "jsmith", "second-admin");
        assertThat(dqr).contains("dqr-operator").doesNotContain("jsmith");
        assertThat(nobody.isArray()).isTrue();
        assertThat(nobody).isEmpty();
        assertThat(nonAdmin.statusCode()).isEqualTo(403);
        assertThat(xnat.calls(XnatOps.LIST_USERS_WITH_ROLE)).isEqualTo(4);
    }

    @Test
    void tokensOfAUserAreShownWithTheirSecretsAndInvalidationDeletesThem() {
        AliasToken first = xnat.state().issueToken("jsmith");
        AliasToken second = xnat.state().issueToken("jsmith");
        xnat.state().issueToken("dqr-operator");

        List<String> shown = new ArrayList<>();
        TestClient.json(admin.get("/data/services/tokens/show/user/jsmith")).forEach(t -> {
            assertThat(t.path("xdatUserId").asText()).isEqualTo("jsmith");
            assertThat(t.path("secret").asText()).hasSize(64);
            shown.add(t.path("alias").asText());
        });
        var invalidated = admin.get("/data/services/tokens/invalidate/" + first.alias());
        var again = admin.get("/data/services/tokens/invalidate/" + first.alias());
        var othersToken = TestClient.basic(xnat, "jsmith", "jsmith-password")
                .get("/data/services/tokens/invalidate/" + xnat.state().aliasTokens().stream()
                        .filter(t -> t.username().equals("dqr-operator")).findFirst().orElseThrow().alias());
        var othersList = TestClient.basic(xnat, "jsmith", "jsmith-password").get("/data/services/tokens/show/user/admin");

        assertThat(shown).containsExactly(first.alias(), second.alias());
        assertThat(invalidated.statusCode()).isEqualTo(200);
        assertThat(TestClient.json(invalidated).path("result").asText()).isEqualTo("OK");
        assertThat(xnat.state().aliasToken(first.alias())).as("XNAT deletes the token").isEmpty();
        assertThat(TestClient.basic(xnat, first.alias(), first.secret()).get("/xapi/users").statusCode()).isEqualTo(401);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(othersToken.statusCode()).isEqualTo(403);
        assertThat(othersList.statusCode()).isEqualTo(403);
        assertThat(TestClient.json(admin.get("/data/services/tokens/show/user/jsmith"))).hasSize(1);
    }

    /**
     * AliasTokenRestlet and UsersApi as their source has them: a token disabled with its user is not found by
     * invalidate (findByAlias skips disabled tokens); "show" compares the name exactly, so another casing of
     * one's own name is another user's; an account may read its own roles (restrictTo User), not another's.
     */
    @Test
    void disabledTokensAreNotFoundNamesAreExactAndAnAccountReadsOnlyItsOwnRoles() {
        String name = "tok" + java.util.UUID.randomUUID().toString().substring(0, 8);
        xnat.state().addUser(name, name + "@example.org", "T", "K", name + "-pw", java.util.Set.of());
        AliasToken token = xnat.state().issueToken(name);
        var self = TestClient.basic(xnat, name, name + "-pw");

        assertThat(self.get("/data/services/tokens/show/user/" + name).statusCode()).isEqualTo(200);
        assertThat(self.get("/data/services/tokens/show/user/" + name.toUpperCase()).statusCode()).isEqualTo(403);
        assertThat(self.get("/xapi/users/" + name + "/roles").statusCode()).isEqualTo(200);
        assertThat(self.get("/xapi/users/admin/roles").statusCode()).isEqualTo(403);
        assertThat(admin.get("/xapi/users/no" + name + "/roles").statusCode()).isEqualTo(404);

        var u = xnat.state().userByUsername(name).orElseThrow();
        xnat.state().updateUser(u.withEnabled(false));
        assertThat(admin.get("/data/services/tokens/invalidate/" + token.alias()).statusCode()).isEqualTo(404);
    }
}
