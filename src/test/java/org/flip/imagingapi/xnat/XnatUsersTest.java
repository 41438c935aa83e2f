package org.flip.imagingapi.xnat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.flip.imagingapi.web.XnatProblems;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.List;
import org.flip.imagingapi.model.User;
import org.flip.imagingapi.xnat.NewAccount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class XnatUsersTest {

    static final String JOHN = """
            {"id":2,"username":"johndoe","firstName":"John","lastName":"Doe","email":"john.doe@hospital.nhs.uk",
             "secured":true,"lastModified":1700000000000,"enabled":true,"verified":true,
             "lastSuccessfulLogin":1700000500000}""";

    WireMockServer xnat;
    XnatUsers users;

    @BeforeEach
    void start() {
        xnat = UsersWireMock.start();
        users = new XnatUsers(UsersWireMock.gateway(xnat));
    }

    @AfterEach
    void stop() {
        xnat.stop();
    }

    @Test
    void listingParsesXnatProfiles() {
        xnat.stubFor(get("/xapi/users/profiles").willReturn(okJson("[" + JOHN + "]")));

        List<User> listing = users.profiles();

        assertThat(listing).containsExactly(new User(2L, "johndoe", "john.doe@hospital.nhs.uk", "John", "Doe", true,
                true, true, 1700000000000L, 1700000500000L));
    }

    @Test
    void oddAccountsNeverBreakTheListing() {
        xnat.stubFor(get("/xapi/users/profiles").willReturn(okJson("""
                [{"id":1,"username":"admin","email":"admin@localhost","firstName":"Admin","lastName":"Admin",
                  "enabled":true,"verified":true,"secured":true},
                 {"username":"sparse"},
                 {"id":"7","username":"stringly","enabled":"true","lastModified":"oops","email":42,"extra":{"a":1}},
                 {"email":"nobody@example.org"},
                 "not an object",
                 null]""")));

        List<User> listing = users.profiles();

        assertThat(listing).extracting(User::username).containsExactly("admin", "sparse", "stringly");
        assertThat(listing.get(0).email()).isEqualTo("admin@localhost");
        assertThat(listing.get(0).lastModified()).isNull();
        assertThat(listing.get(0).neverLoggedIn()).isTrue();
        assertThat(listing.get(1)).isEqualTo(new User(null, "sparse", null, null, null, false, false, false, null, null));
        assertThat(listing.get(2).id()).isEqualTo(7L);
        assertThat(listing.get(2).enabled()).isTrue();
        assertThat(listing.get(2).lastModified()).isNull();
    }

    @Test
    void fieldsOfUnexpectedShapesAreReadLenientlyAndNestedValuesAreSkippedWhole() {
        // read as a stream, field by field: nested values must be skipped whole, or the next
        // account would be read from inside them
        xnat.stubFor(get("/xapi/users/profiles").willReturn(okJson("""
                [{"id":4.9,"username":"floaty","firstName":5,"lastName":true,"email":{"username":"inner"},
                  "enabled":" TRUE ","verified":1,"secured":[true],"lastModified":" 12 ",
                  "lastSuccessfulLogin":12345678901234567890, "roles":[{"username":"nested"}]},
                 {"username":["array"],"id":2},
                 {"username":"   "},
                 {"id":3,"authorization":{"username":"x","enabled":true},"username":"last","enabled":false}]""")));

        List<User> listing = users.profiles();

        assertThat(listing).extracting(User::username).containsExactly("floaty", "last");
        assertThat(listing.get(0)).isEqualTo(new User(4L, "floaty", null, "5", "true", true, false, false, 12L,
                new java.math.BigInteger("12345678901234567890").longValue()));
        assertThat(listing.get(1).id()).isEqualTo(3L);
        assertThat(listing.get(1).enabled()).isFalse();
    }

    @Test
    void listingThatIsNotAnArrayIsABadGateway() {
        // the listing is read as a stream: a body cut off after some accounts is a 502, never a short list
        for (String body : new String[] {"{\"users\":[]}", "null", "", "[" + JOHN + ",", "[" + JOHN + ",{\"username\":"}) {
            xnat.stubFor(get("/xapi/users/profiles").willReturn(okJson(body)));

            assertThatThrownBy(users::profiles).as(body).isInstanceOfSatisfying(XnatFailure.class,
                    f -> assertThat(XnatProblems.of(f).status().value()).isEqualTo(502));
        }
    }

    @Test
    void listingFailureOfXnatIsABadGatewayNamingTheOperation() {
        xnat.stubFor(get("/xapi/users/profiles").willReturn(aResponse().withStatus(500).withBody("boom")));

        assertThatThrownBy(users::profiles).isInstanceOfSatisfying(XnatFailure.class, f -> {
            assertThat(XnatProblems.of(f).status().value()).isEqualTo(502);
            assertThat(f.detail()).contains("user listing").contains("HTTP 500");
        });
    }

    @Test
    void oneProfileIsReadFromTheProfileResourceNotTheUserResource() {
        xnat.stubFor(get("/xapi/users/profile/johndoe").willReturn(okJson(JOHN)));

        assertThat(users.profile("johndoe")).get().extracting(User::id).isEqualTo(2L);
        xnat.verify(0, getRequestedFor(urlEqualTo("/xapi/users/johndoe")));
    }

    @Test
    void unknownProfileIsEmpty() {
        xnat.stubFor(get("/xapi/users/profile/ghost").willReturn(aResponse().withStatus(404)));

        assertThat(users.profile("ghost")).isEmpty();
    }

    @Test
    void createSendsEveryFieldWithBothFlagsAndReadsTheCreatedAccount() {
        xnat.stubFor(post("/xapi/users").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(JOHN)));

        User created = users.create(new NewAccount("johndoe", "Pa55word!Pa55word!Pa55word!", "john.doe@hospital.nhs.uk",
                "johndoe", "johndoe", true, true)).value();

        assertThat(created.username()).isEqualTo("johndoe");
        xnat.verify(1, postRequestedFor(urlEqualTo("/xapi/users")).withRequestBody(equalToJson("""
                {"username":"johndoe","password":"Pa55word!Pa55word!Pa55word!","email":"john.doe@hospital.nhs.uk",
                 "firstName":"johndoe","lastName":"johndoe","enabled":true,"verified":true}""")));
    }

    @Test
    void createOfATakenUsernameIsAConflictAndIsNotRepeated() {
        xnat.stubFor(post("/xapi/users").willReturn(aResponse().withStatus(409)));

        assertThat(users.create(new NewAccount("johndoe", "x", "j@example.org", "j", "j", true, true)).isTaken())
                .isTrue();
        xnat.verify(1, postRequestedFor(urlEqualTo("/xapi/users")));
    }

    @Test
    void createFailureIsABadGateway() {
        xnat.stubFor(post("/xapi/users").willReturn(aResponse().withStatus(500).withBody("Password too weak")));

        assertThatThrownBy(() -> users.create(new NewAccount("johndoe", "x", "j@example.org", "j", "j", true, true)))
                .isInstanceOfSatisfying(XnatFailure.class, f -> assertThat(f.detail()).contains("user creation"));
        xnat.verify(1, postRequestedFor(urlEqualTo("/xapi/users")));
    }

    @Test
    void createWithoutAUsableBodyLooksTheAccountUp() {
        xnat.stubFor(post("/xapi/users").willReturn(aResponse().withStatus(201)));
        xnat.stubFor(get("/xapi/users/profile/johndoe").willReturn(okJson(JOHN)));

        assertThat(users.create(new NewAccount("johndoe", "x", "j@example.org", "j", "j", true, true)).value().id())
                .isEqualTo(2L);
    }

    @Test
    void anUpdateAnsweredWithALoginPageOnA200IsA502NotTheUnchangedProfile() {
        xnat.stubFor(put("/xapi/users/johndoe").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html><body><h1>Login</h1></body></html>")));
        xnat.stubFor(get("/xapi/users/profile/johndoe").willReturn(okJson(JOHN)));

        assertThatThrownBy(() -> users.setEnabled("johndoe", false))
                .isInstanceOfSatisfying(XnatFailure.class, e -> assertThat(XnatProblems.of(e).status().value()).isEqualTo(502));
    }

    @Test
    void updateSendsOnlyTheEnabledFlagSoXnatKeepsItsStoredEmailAndReturnsTheUpdatedAccount() {
        xnat.stubFor(put("/xapi/users/johndoe").willReturn(okJson(JOHN.replace("\"enabled\":true", "\"enabled\":false"))));

        User updated = users.setEnabled("johndoe", false).orElseThrow();

        assertThat(updated.enabled()).isFalse();
        xnat.verify(putRequestedFor(urlEqualTo("/xapi/users/johndoe"))
                .withRequestBody(equalToJson("{\"enabled\":false}")));
    }

    @Test
    void updateWithNothingToChangeReturnsTheCurrentProfile() {
        xnat.stubFor(put("/xapi/users/johndoe").willReturn(aResponse().withStatus(304)));
        xnat.stubFor(get("/xapi/users/profile/johndoe").willReturn(okJson(JOHN)));

        assertThat(users.setEnabled("johndoe", true).orElseThrow().username()).isEqualTo("johndoe");
    }

    @Test
    void updateOfAnUnknownUserIsNotFound() {
        xnat.stubFor(put("/xapi/users/ghost").willReturn(aResponse().withStatus(404)));

        assertThat(users.setEnabled("ghost", true)).isEmpty();
    }

    @Test
    void updateFailureIsABadGatewayNotXnatsStatus() {
        xnat.stubFor(put("/xapi/users/johndoe").willReturn(aResponse().withStatus(500).withBody("<html><h3>oops</h3></html>")));

        assertThatThrownBy(() -> users.setEnabled("johndoe", true))
                .isInstanceOfSatisfying(XnatFailure.class, f -> assertThat(XnatProblems.of(f).status().value()).isEqualTo(502));
    }

    @Test
    void membershipUsesTheGroupDisplayNameAndEncodesEverySegment() {
        xnat.stubFor(put(urlMatching("/data/projects/P1/users/Members/.*")).willReturn(okJson("{}")));

        assertThat(users.addToGroup("P1", "Members", "o'brien")).isTrue();

        assertThat(xnat.getAllServeEvents()).extracting(e -> e.getRequest().getUrl())
                .contains("/data/projects/P1/users/Members/o%27brien");
    }

    @Test
    void membershipInAnUnknownProjectIsNotFound() {
        xnat.stubFor(put("/data/projects/NOPE/users/Owners/johndoe").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "text/html").withBody("<html><h3>Not found</h3></html>")));

        assertThat(users.addToGroup("NOPE", "Owners", "johndoe")).isFalse();
    }

    @Test
    void membershipRefusedByXnatIsABadGateway() {
        xnat.stubFor(put("/data/projects/P1/users/Members/johndoe").willReturn(aResponse().withStatus(403)));

        assertThatThrownBy(() -> users.addToGroup("P1", "Members", "johndoe"))
                .isInstanceOfSatisfying(XnatFailure.class, f -> assertThat(XnatProblems.of(f).status().value()).isEqualTo(502));
    }

    @Test
    void membersAreReadFromTheProjectsMemberTable() {
        xnat.stubFor(get("/data/projects/P1/users?format=json").willReturn(okJson("""
                {"ResultSet":{"Result":[
                  {"GROUP_ID":"P1_owner","displayname":"Owners","login":"admin","email":"admin@example.org"},
                  {"GROUP_ID":"P1_member","displayname":"Members","login":"johndoe","email":"j@example.org"}],
                 "title":"Projects","totalRecords":"2"}}""")));

        assertThat(users.members("P1").orElseThrow()).containsEntry("admin", "Owners").containsEntry("johndoe", "Members");
    }

    @Test
    void membersOfAnUnknownProjectIsNotFound() {
        xnat.stubFor(get("/data/projects/NOPE/users?format=json").willReturn(aResponse().withStatus(404)));

        assertThat(users.members("NOPE")).isEmpty();
    }

    @Test
    void administratorsAreTheRoleHoldersOfOneCallWithOddEntriesLeftOut() {
        xnat.stubFor(get("/xapi/users/roles/Administrator").willReturn(okJson(
                "[\"admin\", \"imaging-api\", \"\", null, 7, {\"username\":\"x\"}, [\"y\"], \"site-admin\"]")));

        assertThat(users.administrators()).hasValueSatisfying(
                holders -> assertThat(holders).containsExactly("admin", "imaging-api", "site-admin"));
        xnat.verify(1, getRequestedFor(urlEqualTo("/xapi/users/roles/Administrator")));
    }

    @Test
    void administratorsNobodyHoldsIsAnEmptySet() {
        xnat.stubFor(get("/xapi/users/roles/Administrator").willReturn(okJson("[]")));

        assertThat(users.administrators()).hasValueSatisfying(holders -> assertThat(holders).isEmpty());
    }

    /** An XNAT older than getUsersWithRole has no such route: not "no administrators", but "ask per account". */
    @Test
    void administratorsOfAnXnatWithoutTheRouteAreUnknownAndEachAccountsRolesCanBeRead() {
        xnat.stubFor(get("/xapi/users/roles/Administrator").willReturn(aResponse().withStatus(404)));
        xnat.stubFor(get("/xapi/users/boss/roles").willReturn(okJson("[\"Administrator\", \"non_expiring\", 3]")));
        xnat.stubFor(get("/xapi/users/ghost/roles").willReturn(aResponse().withStatus(404)));

        assertThat(users.administrators()).isEmpty();
        assertThat(users.roles("boss")).containsExactly("Administrator", "non_expiring");
        assertThat(users.roles("ghost")).isEmpty();
    }

    @Test
    void administratorsThatCannotBeReadAreABadGatewayNeverAnEmptySet() {
        // a non-admin service account gets XNAT's empty 403; a proxy may answer a login page or a cut body
        for (var answer : List.of(aResponse().withStatus(403), okJson("{\"users\":[]}"), okJson("null"),
                okJson("[\"admin\","), aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                        .withBody("<html>login</html>"))) {
            xnat.stubFor(get("/xapi/users/roles/Administrator").willReturn(answer));

            assertThatThrownBy(users::administrators).isInstanceOfSatisfying(XnatFailure.class, f -> {
                assertThat(XnatProblems.of(f).status().value()).isEqualTo(502);
                assertThat(f.detail()).contains("role holder listing");
            });
        }
    }
}
