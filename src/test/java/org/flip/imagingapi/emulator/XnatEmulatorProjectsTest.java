package org.flip.imagingapi.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class XnatEmulatorProjectsTest extends DemoEmulatorTest {

    private static final String XML = "application/xml";

    private static List<String> field(JsonNode rows, String name) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.path(name).asText()));
        return out;
    }

    // ------------------------------------------------------------------ listing

    @Test
    void projectListingHasExactlySevenStringColumnsWithEmptyStringsForNulls() {
        var r = admin.get("/data/projects");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode rs = TestClient.json(r).path("ResultSet");
        assertThat(rs.path("totalRecords").isTextual()).isTrue();
        assertThat(rs.path("totalRecords").asText()).isEqualTo("3");
        JsonNode chest = null;
        for (JsonNode row : rs.path("Result")) {
            List<String> keys = new ArrayList<>();
            row.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactlyInAnyOrder("ID", "secondary_ID", "name", "description", "pi_firstname",
                    "pi_lastname", "URI");
            row.forEach(v -> assertThat(v.isTextual()).isTrue());
            if (row.path("ID").asText().equals(Seeds.CHEST)) {
                chest = row;
            }
        }
        assertThat(chest).isNotNull();
        assertThat(chest.path("description").asText()).isEmpty();
        assertThat(chest.path("URI").asText()).isEqualTo("/data/projects/CHEST_XRAY");
    }

    @Test
    void adminShortcutFiltersAreExactCaseSensitiveWithCommaOrAndStarLike() {
        assertThat(field(TestClient.rows(admin.get("/data/projects?secondary_ID=NEURO_MRI")), "ID"))
                .containsExactly(Seeds.NEURO);
        assertThat(TestClient.rows(admin.get("/data/projects?secondary_ID=neuro_mri"))).isEmpty();
        assertThat(field(TestClient.rows(admin.get("/data/projects?ID=NEURO_MRI_2024,CHEST_XRAY")), "ID"))
                .containsExactlyInAnyOrder(Seeds.NEURO, Seeds.CHEST);
        assertThat(field(TestClient.rows(admin.get("/data/projects?name=*Screening")), "ID"))
                .containsExactly(Seeds.CHEST);
    }

    @Test
    void nonAdminFiltersAreIgnoredAndAllReadableProjectsComeBack() {
        var r = TestClient.basic(xnat, "jsmith", "jsmith-password").get("/data/projects?secondary_ID=NEURO_MRI");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(field(TestClient.rows(r), "ID")).containsExactlyInAnyOrder(Seeds.NEURO, Seeds.CHEST, Seeds.HUB);
    }

    @Test
    void privateProjectsAreInvisibleToNonMembers() {
        xnat.addAccount("outsider", "pw", false);
        var client = TestClient.basic(xnat, "outsider", "pw");

        assertThat(field(TestClient.rows(client.get("/data/projects")), "ID")).doesNotContain(Seeds.NEURO);
        assertThat(client.get("/data/projects/" + Seeds.NEURO + "?format=json").statusCode()).isEqualTo(404);
        assertThat(client.delete("/data/projects/" + Seeds.NEURO + "?removeFiles=true").statusCode())
                .isEqualTo(400);
    }

    @Test
    void theListingReflectsCreatesDeletesAndMembershipChangesImmediately() {
        xnat.addAccount("outsider", "pw", false);
        var outsider = TestClient.basic(xnat, "outsider", "pw");
        assertThat(TestClient.rows(admin.get("/data/projects"))).hasSize(3);
        assertThat(field(TestClient.rows(outsider.get("/data/projects")), "ID")).doesNotContain(Seeds.NEURO);

        admin.post("/data/projects", "<projectData ID=\"LATE\"/>", XML);
        admin.put("/data/projects/" + Seeds.NEURO + "/users/Members/outsider", null, null);
        admin.delete("/data/projects/" + Seeds.CHEST);

        assertThat(field(TestClient.rows(admin.get("/data/projects")), "ID"))
                .containsExactlyInAnyOrder(Seeds.NEURO, Seeds.HUB, "LATE");
        assertThat(field(TestClient.rows(outsider.get("/data/projects")), "ID")).contains(Seeds.NEURO);
    }

    @Test
    void columnsParameterKeepsUri() {
        JsonNode row = TestClient.rows(admin.get("/data/projects?columns=ID,name,bogus")).get(0);
        List<String> keys = new ArrayList<>();
        row.fieldNames().forEachRemaining(keys::add);

        assertThat(keys).containsExactly("ID", "name", "URI");
    }

    // ------------------------------------------------------------------ single project

    @Test
    void singleProjectIsHtmlUnlessFormatJson() {
        var html = admin.get("/data/projects/" + Seeds.NEURO);
        var json = admin.get("/data/projects/" + Seeds.CHEST + "?format=json");

        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(json.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        JsonNode item = TestClient.json(json).path("items").get(0);
        assertThat(item.path("meta").path("xsi:type").asText()).isEqualTo("xnat:projectData");
        assertThat(item.path("meta").path("isHistory").isBoolean()).isTrue();
        assertThat(item.path("meta").path("create_event_id").isNumber()).isTrue();
        assertThat(item.path("data_fields").path("ID").asText()).isEqualTo(Seeds.CHEST);
        assertThat(item.path("data_fields").has("description")).as("null fields are absent").isFalse();
    }

    @Test
    void projectLookupIsCaseSensitiveAndAliasAware() {
        assertThat(admin.get("/data/projects/neuro_mri_2024?format=json").statusCode()).isEqualTo(404);
        var byAlias = admin.get("/data/projects/NEURO?format=json");
        assertThat(byAlias.statusCode()).isEqualTo(200);
        assertThat(TestClient.json(byAlias).path("items").get(0).path("data_fields").path("ID").asText())
                .isEqualTo(Seeds.NEURO);
    }

    @Test
    void unknownProjectIsA404StatusPageReusingTheExperimentMessage() {
        var r = admin.get("/data/projects/NOPE?format=json");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(r.body()).contains("<title>Status page</title>")
                .contains("<h3>Unable to find the specified experiment.</h3>");
    }

    // ------------------------------------------------------------------ create

    @Test
    void postingProjectDataXmlAnswers200WithTheProjectUrlAsText() {
        String xml = "<xnat:projectData xmlns:xnat=\"http://nrg.wustl.edu/xnat\" ID=\"NEW_P1\" secondary_ID=\"NP1\">"
                + "<xnat:name>New Project</xnat:name><xnat:description>d</xnat:description></xnat:projectData>";

        var r = admin.post("/data/projects", xml, XML);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        assertThat(r.body()).isEqualTo(xnat.baseUrl() + "/data/projects/NEW_P1");
        assertThat(r.headers().firstValue("Location")).contains(xnat.baseUrl() + "/data/projects/NEW_P1");
        Project p = xnat.state().project("NEW_P1").orElseThrow();
        assertThat(p.secondaryId()).isEqualTo("NP1");
        assertThat(p.name()).isEqualTo("New Project");
        assertThat(p.prearchiveCode()).isEqualTo(4);
        assertThat(p.accessibility()).isEqualTo("protected");
        assertThat(xnat.state().projectMembers("NEW_P1")).containsEntry("imaging-api", "Owners");
    }

    @Test
    void flipStyleChildElementsInAForeignNamespaceAreAcceptedAndBlankNamesDefaultToTheId() {
        String xml = "<xnat:projectData xmlns:xnat=\"http://xnat-web:8080/data/projects\"><ID>FLIP-1</ID>"
                + "<secondary_ID></secondary_ID><name> </name><description>x</description></xnat:projectData>";

        var r = admin.post("/data/projects", xml, "text/xml");

        assertThat(r.statusCode()).isEqualTo(200);
        Project p = xnat.state().project("FLIP-1").orElseThrow();
        assertThat(p.secondaryId()).isEqualTo("FLIP-1");
        assertThat(p.name()).isEqualTo("FLIP-1");
    }

    @Test
    void postingAnExistingIdIs409() {
        var r = admin.post("/data/projects", "<projectData ID=\"CHEST_XRAY\"/>", XML);

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("<h3>Project already exists.</h3>");
    }

    @Test
    void missingOrInvalidIdsAre417() {
        var missing = admin.post("/data/projects", "<projectData><name>x</name></projectData>", XML);
        var invalid = admin.post("/data/projects", "<projectData ID=\"bad.id\"/>", XML);

        assertThat(missing.statusCode()).isEqualTo(417);
        assertThat(missing.body()).contains("<h3>Requires XNAT ProjectData ID</h3>");
        assertThat(invalid.statusCode()).isEqualTo(417);
        assertThat(invalid.body()).contains("<h3>Invalid character in project ID.</h3>");
    }

    @Test
    void malformedXmlIs422() {
        var r = admin.post("/data/projects", "<projectData ID=\"X1\"><name>x</projectData>", XML);

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("An error occurred parsing the XML:");
        assertThat(xnat.state().project("X1")).isEmpty();
    }

    @Test
    void aDoctypeIsRejectedSoExternalEntitiesCannotBeResolved() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE projectData [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<projectData ID=\"XXE\"><name>&x;</name></projectData>";

        var r = admin.post("/data/projects", xxe, XML);

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("An error occurred parsing the XML:").doesNotContain("root:");
        assertThat(xnat.state().project("XXE")).isEmpty();
    }

    @Test
    void putCreationRejectsCaseInsensitiveCollisionsAndDeletedIds() {
        var collision = admin.put("/data/projects/OTHER?secondary_ID=cxr_screen", null, null);
        assertThat(collision.statusCode()).isEqualTo(409);
        assertThat(collision.body()).contains("Invalid Running Title: &#39;cxr_screen&#39; is already being used.");

        admin.delete("/data/projects/CHEST_XRAY?removeFiles=true");
        var reuse = admin.put("/data/projects/CHEST_XRAY", null, null);
        assertThat(reuse.statusCode()).isEqualTo(403);
        assertThat(admin.put("/data/projects/FRESH?name=Fresh", null, null).statusCode()).isEqualTo(200);
        assertThat(xnat.state().project("FRESH").orElseThrow().name()).isEqualTo("Fresh");
    }

    // ------------------------------------------------------------------ prearchive & delete

    @Test
    void prearchiveCodeAcceptsAnyIntegerAndRejectsTheRest() {
        assertThat(admin.put("/data/projects/CHEST_XRAY/prearchive_code/11", null, null).statusCode())
                .isEqualTo(200);
        assertThat(xnat.state().project("CHEST_XRAY").orElseThrow().prearchiveCode()).isEqualTo(11);
        assertThat(admin.get("/data/projects/CHEST_XRAY/prearchive_code").body()).isEqualTo("11");
        var bad = admin.put("/data/projects/CHEST_XRAY/prearchive_code/abc", null, null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("must be an integer");
    }

    @Test
    void prearchiveCodeOfAnUnknownProjectIs400Not404() {
        var r = admin.put("/data/projects/NOPE/prearchive_code/4", null, null);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<h3>You can&#39;t set the &#39;prearchive_code&#39; attribute");
    }

    @Test
    void deletingAnUnknownProjectIs400() {
        var r = admin.delete("/data/projects/NOPE?removeFiles=true");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
    }

    @Test
    void deletingAProjectRemovesItsDataButKeepsDqrRowsAndSubscriptions() {
        int queued = xnat.state().queuedRequests().size();
        int subscriptions = xnat.state().subscriptionsForProject(Seeds.HUB).size();

        var r = admin.delete("/data/projects/" + Seeds.HUB + "?removeFiles=true");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(xnat.state().project(Seeds.HUB)).isEmpty();
        assertThat(xnat.state().experiments(Seeds.HUB)).isEmpty();
        assertThat(xnat.state().subjects(Seeds.HUB)).isEmpty();
        assertThat(xnat.state().projectMembers(Seeds.HUB)).isEmpty();
        assertThat(xnat.state().deletedProjectIds()).contains(Seeds.HUB);
        assertThat(xnat.state().queuedRequests()).hasSize(queued);
        assertThat(xnat.state().subscriptionsForProject(Seeds.HUB)).hasSize(subscriptions).isNotEmpty();
    }

    @Test
    void aSubjectHoldingAnotherProjectsExperimentKeepsTheProjectThoughTheDeleteAnswers200() {
        Seeds.SharedSubject shared = xnat.seedSubjectWithAnotherProjectsExperiment(Seeds.HUB, Seeds.CHEST);
        String otherSubject = xnat.state().subjects(Seeds.HUB).get(0).id();

        var r = admin.delete("/data/projects/" + Seeds.HUB + "?removeFiles=true");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(admin.get("/data/projects/" + Seeds.HUB + "?format=json").statusCode()).isEqualTo(200);
        assertThat(field(TestClient.rows(admin.get("/data/projects?secondary_ID=" + Seeds.HUB_PROJECT)), "ID"))
                .containsExactly(Seeds.HUB);
        assertThat(xnat.state().experiments(Seeds.HUB)).as("the project's own experiments are gone").isEmpty();
        assertThat(xnat.state().subjects(Seeds.HUB)).as("only the subject that is still held stays")
                .extracting(Subject::id).containsExactly(shared.subject().id()).doesNotContain(otherSubject);
        assertThat(xnat.state().experiment(shared.otherProjectsExperiment().id())).isPresent();
        assertThat(xnat.state().projectMembers(Seeds.HUB)).containsKeys(XnatEmulator.SERVICE_USER, "jsmith");
        assertThat(xnat.state().deletedProjectIds()).doesNotContain(Seeds.HUB);
        assertThat(admin.delete("/data/projects/" + Seeds.HUB + "?removeFiles=true").statusCode())
                .as("and so on every retry").isEqualTo(200);
        assertThat(xnat.state().project(Seeds.HUB)).isPresent();
    }

    @Test
    void deletingTheProjectThatOwnsTheOtherExperimentSucceeds() {
        Seeds.SharedSubject shared = xnat.seedSubjectWithAnotherProjectsExperiment(Seeds.HUB, Seeds.CHEST);

        assertThat(admin.delete("/data/projects/" + Seeds.CHEST + "?removeFiles=true").statusCode()).isEqualTo(200);

        assertThat(xnat.state().project(Seeds.CHEST)).isEmpty();
        assertThat(xnat.state().experiment(shared.otherProjectsExperiment().id())).isEmpty();
        assertThat(admin.delete("/data/projects/" + Seeds.HUB + "?removeFiles=true").statusCode()).isEqualTo(200);
        assertThat(xnat.state().project(Seeds.HUB)).as("nothing holds it any more").isEmpty();
        assertThat(xnat.state().deletedProjectIds()).contains(Seeds.HUB, Seeds.CHEST);
    }

    // ------------------------------------------------------------------ subjects & experiments

    @Test
    void subjectListingHasTheDefaultColumnsAnd404ForAnUnknownProject() {
        var r = admin.get("/data/projects/" + Seeds.NEURO + "/subjects");

        JsonNode rows = TestClient.rows(r);
        assertThat(rows).hasSize(2);
        List<String> keys = new ArrayList<>();
        rows.get(0).fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrder("ID", "project", "label", "insert_date", "insert_user", "URI");
        assertThat(rows.get(0).path("URI").asText()).startsWith("/data/subjects/XNAT_S");
        assertThat(admin.get("/data/projects/NOPE/subjects").statusCode()).isEqualTo(404);
    }

    @Test
    void projectScopedExperimentsHideDxSessionsWhileTheGlobalListingShowsThem() {
        var scoped = TestClient.rows(admin.get("/data/projects/" + Seeds.CHEST + "/experiments"));
        var global = TestClient.json(admin.get("/data/experiments?project=" + Seeds.CHEST));

        assertThat(field(scoped, "xsiType")).containsExactly("xnat:ctSessionData");
        assertThat(scoped.get(0).path("xnat:subjectassessordata/id").asText())
                .isEqualTo(scoped.get(0).path("ID").asText());
        assertThat(field(global.path("ResultSet").path("Result"), "xsiType"))
                .containsExactlyInAnyOrder("xnat:dxSessionData", "xnat:ctSessionData");
        assertThat(global.path("ResultSet").path("title").asText()).isEqualTo("Matching experiments");
        assertThat(global.path("ResultSet").path("Result").get(0).has("xnat:subjectassessordata/id")).isFalse();
    }

    @Test
    void globalExperimentListingOfAnUnknownProjectIsEmptyNot404() {
        var r = admin.get("/data/experiments?project=NOPE");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestClient.rows(r)).isEmpty();
        assertThat(TestClient.json(r).path("ResultSet").path("totalRecords").asText()).isEqualTo("0");
    }

    @Test
    void anExperimentIsFoundByIdEvenThroughTheWrongProject() {
        String id = xnat.state().experiments(Seeds.NEURO).get(0).id();

        var r = admin.get("/data/projects/" + Seeds.CHEST + "/experiments/" + id + "?format=json");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode df = TestClient.json(r).path("items").get(0).path("data_fields");
        assertThat(df.path("project").asText()).isEqualTo(Seeds.NEURO);
        assertThat(df.path("subject_ID").asText()).startsWith("XNAT_S");
    }

    @Test
    void anExperimentIsFoundByLabelOnlyWithinItsProject() {
        var own = admin.get("/data/projects/" + Seeds.NEURO + "/experiments/MR_SUBJ001_01?format=json");
        var other = admin.get("/data/projects/" + Seeds.CHEST + "/experiments/MR_SUBJ001_01?format=json");

        assertThat(own.statusCode()).isEqualTo(200);
        JsonNode item = TestClient.json(own).path("items").get(0);
        assertThat(item.path("meta").path("xsi:type").asText()).isEqualTo("xnat:mrSessionData");
        assertThat(item.path("children").get(0).path("field").asText()).isEqualTo("scans/scan");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).contains("<h3>Unable to find the specified experiment.</h3>");
    }

    @Test
    void singleExperimentIsHtmlWithoutFormat() {
        var r = admin.get("/data/projects/" + Seeds.NEURO + "/experiments/MR_SUBJ001_01");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
    }

    @Test
    void experimentPagingOmitsTotalRecords() {
        var r = TestClient.json(admin.get("/data/experiments?offset=0&limit=2"));

        assertThat(r.path("ResultSet").path("Result")).hasSize(2);
        assertThat(r.path("ResultSet").has("totalRecords")).isFalse();
    }

    // ------------------------------------------------------------------ membership

    @Test
    void membershipGroupsResolveByIdSuffixAndDisplayNameAndMoveBetweenGroups() {
        String base = "/data/projects/" + Seeds.CHEST + "/users/";
        assertThat(admin.put(base + "Members/jsmith", null, null).statusCode()).isEqualTo(200);
        assertThat(xnat.state().projectMembers(Seeds.CHEST)).containsEntry("jsmith", "Members");

        admin.put(base + "owner/jsmith", null, null);
        assertThat(xnat.state().projectMembers(Seeds.CHEST)).containsEntry("jsmith", "Owners");

        var r = admin.put(base + "CHEST_XRAY_collaborator/jsmith", null, null);
        assertThat(xnat.state().projectMembers(Seeds.CHEST)).containsEntry("jsmith", "Collaborators");
        JsonNode rows = TestClient.rows(r);
        assertThat(field(rows, "login")).containsOnlyOnce("jsmith");
        assertThat(rows.get(0).has("GROUP_ID")).isTrue();
    }

    @Test
    void membershipByEmailAndUnknownUsersAndGuest() {
        String base = "/data/projects/" + Seeds.CHEST + "/users/Members/";
        assertThat(admin.put(base + "jane.smith@example.org", null, null).statusCode()).isEqualTo(200);
        assertThat(xnat.state().projectMembers(Seeds.CHEST)).containsKey("jsmith");

        assertThat(admin.put(base + "nobody@example.org", null, null).statusCode()).isEqualTo(200);
        assertThat(xnat.state().invitations()).extracting(EmulatorState.Invitation::invitee)
                .contains("nobody@example.org");

        assertThat(admin.put(base + "guest", null, null).statusCode()).isEqualTo(412);
    }

    @Test
    void membershipOfUnknownProjectOrGroupIs404() {
        assertThat(admin.put("/data/projects/NOPE/users/Members/jsmith", null, null).statusCode()).isEqualTo(404);
        assertThat(admin.put("/data/projects/CHEST_XRAY/users/Admins/jsmith", null, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void memberListingHidesDisabledUsers() {
        var r = admin.get("/data/projects/" + Seeds.NEURO + "/users");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode rows = TestClient.rows(r);
        assertThat(field(rows, "login")).contains("jsmith", "imaging-api").doesNotContain("former-member");
        assertThat(field(rows, "displayname")).contains("Owners", "Members");
        assertThat(xnat.state().projectMembers(Seeds.NEURO)).containsKey("former-member");
        assertThat(admin.get("/data/projects/NOPE/users").statusCode()).isEqualTo(404);
    }
}
