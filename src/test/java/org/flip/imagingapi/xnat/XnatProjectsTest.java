package org.flip.imagingapi.xnat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flip.imagingapi.xnat.ProjectsTestGateway.HTML_500;
import static org.flip.imagingapi.xnat.ProjectsTestGateway.projectRow;
import static org.flip.imagingapi.xnat.ProjectsTestGateway.resultSet;

import org.flip.imagingapi.web.XnatProblems;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import org.flip.imagingapi.model.Project;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exact wire behaviour of the project client. Reference checklist §14.1 counterparts:
 * get_all_projects (200 one project, 500), get_project (found, empty listing → absent, listing fails),
 * get_project_from_central_hub_project_id (match, no match, fails), create_project (POST ok,
 * POST 500), set_project_prearchive_settings (200, 500), delete_project (200, 500).
 */
class XnatProjectsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private XnatProjects projects;

    @BeforeEach
    void setUp() {
        projects = new XnatProjects(ProjectsTestGateway.against(wm));
    }

    @Test
    void listingReturnsEveryRowAsAProject() {
        wm.stubFor(get(urlEqualTo("/data/projects?format=json")).willReturn(okJson(resultSet(projectRow("TEST", "S1")))));
        assertThat(projects.list()).extracting(Project::id).containsExactly("TEST");
    }

    @Test
    void listingKeepsXnatsOrderSkipsNullRowsAndIgnoresEnvelopeFieldsItDoesNotKnow() {
        wm.stubFor(get(urlEqualTo("/data/projects?format=json")).willReturn(okJson("{\"ResultSet\":{\"title\":\"Projects\","
                + "\"Columns\":[{\"key\":\"ID\"}],\"Result\":[{\"ID\":\"B\",\"secondary_ID\":\"\",\"name\":\"b\"},null,"
                + "{\"ID\":\"A\",\"secondary_ID\":7,\"name\":\"a\",\"description\":\"\"}],\"totalRecords\":\"2\"},"
                + "\"extra\":{\"nested\":[1,2]}}")));
        List<Project> listed = projects.list();
        assertThat(listed).extracting(Project::id).containsExactly("B", "A");
        assertThat(listed.get(1).secondaryId()).isEqualTo("7");
        assertThat(listed.get(1).description()).isNull();
        assertThatThrownBy(() -> listed.add(listed.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void listingThatIsNotAResultSetIsABadGatewayNeverAnEmptyList() {
        for (String body : List.of("{}", "[]", "{\"ResultSet\":null}", "{\"ResultSet\":{\"Result\":null}}",
                "{\"ResultSet\":{\"totalRecords\":\"0\"}}", "{\"ResultSet\":{\"Result\":[{\"ID\":{\"x\":1}}]}}",
                "{\"ResultSet\":{\"Result\":[{\"ID\":\"A\"}", "null", "")) {
            wm.stubFor(get(urlEqualTo("/data/projects?format=json")).willReturn(okJson(body)));
            assertThatThrownBy(projects::list).as(body).isInstanceOfSatisfying(XnatFailure.class,
                    e -> assertThat(XnatProblems.of(e).status().value()).isEqualTo(502));
        }
    }

    @Test
    void listingAnsweredWith500HtmlIsABadGatewayNamingTheOperation() {
        wm.stubFor(get(urlEqualTo("/data/projects?format=json")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "text/html").withBody(HTML_500)));
        assertThatThrownBy(projects::list).isInstanceOfSatisfying(XnatFailure.class, e -> {
            assertThat(XnatProblems.of(e).status().value()).isEqualTo(502);
            assertThat(e.detail()).contains("project listing failed: HTTP 500").doesNotContain("<h3>");
        });
    }

    @Test
    void findByIdAsksXnatWithTheIdShortcutFilterInOneCall() {
        wm.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(okJson(resultSet(projectRow("TEST", "S1")))));
        assertThat(projects.find("TEST")).map(Project::secondaryId).contains("S1");
        wm.verify(1, getRequestedFor(urlEqualTo("/data/projects?format=json&ID=TEST")));
        wm.verify(1, getRequestedFor(urlPathEqualTo("/data/projects")));
    }

    @Test
    void findByIdMatchesExactlyBecauseXnatIgnoresTheFilterForNonAdmins() {
        wm.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(okJson(resultSet(
                projectRow("test", "S0") + "," + projectRow("TEST2", "S2") + "," + projectRow("TEST", "S1")))));
        assertThat(projects.find("TEST")).map(Project::secondaryId).contains("S1");
        assertThat(projects.find("TES")).isEmpty();
    }

    @Test
    void findByIdOfAnAbsentProjectIsEmpty() {
        wm.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(okJson(resultSet(""))));
        assertThat(projects.find("NOPE")).isEmpty();
    }

    @Test
    void findByIdEncodesTheValueAsOneQueryValue() {
        wm.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(okJson(resultSet(""))));
        projects.find("a b&c=d");
        wm.verify(getRequestedFor(urlEqualTo("/data/projects?format=json&ID=a%20b%26c%3Dd")));
    }

    @Test
    void findBySecondaryIdUsesTheSecondaryIdFilterAndMatchesExactly() {
        wm.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(okJson(resultSet(
                projectRow("P0", "SEC10") + "," + projectRow("P1", "SEC1")))));
        assertThat(projects.findBySecondaryId("SEC1")).map(Project::id).contains("P1");
        assertThat(projects.findBySecondaryId("SEC2")).isEmpty();
        wm.verify(getRequestedFor(urlEqualTo("/data/projects?format=json&secondary_ID=SEC1")));
    }

    @Test
    void findFailureIsABadGateway() {
        wm.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(aResponse().withStatus(500).withBody(HTML_500)));
        assertThatThrownBy(() -> projects.find("TEST")).isInstanceOfSatisfying(XnatFailure.class,
                e -> assertThat(e.detail()).contains("project lookup by ID failed"));
    }

    @Test
    void createPostsAnXnatPrefixedProjectDataDocumentAsXml() {
        wm.stubFor(post(urlEqualTo("/data/projects")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withBody("http://xnat/data/projects/P1")));
        projects.create("P1", "S1", "My <Project> & \"more\"", "A description");
        List<LoggedRequest> requests = wm.findAll(postRequestedFor(urlEqualTo("/data/projects")));
        assertThat(requests).hasSize(1);
        LoggedRequest request = requests.get(0);
        assertThat(request.getHeader("Content-Type")).startsWith("application/xml");
        String xml = request.getBodyAsString();
        assertThat(xml).contains("<xnat:projectData").contains("xmlns:xnat=\"http://nrg.wustl.edu/xnat\"")
                .contains("ID=\"P1\"").contains("secondary_ID=\"S1\"")
                .contains("<xnat:name>My &lt;Project> &amp; \"more\"</xnat:name>")
                .contains("<xnat:description>A description</xnat:description>");
        ProjectDataXml.ProjectData back = ProjectDataXml.read(request.getBody());
        assertThat(back).isEqualTo(new ProjectDataXml.ProjectData("P1", "S1", "My <Project> & \"more\"",
                "A description"));
    }

    @Test
    void createAnsweredWithXnats409IsOurConflict() {
        wm.stubFor(post(urlEqualTo("/data/projects")).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "text/html")
                .withBody("<html><body><h3>Project already exists.</h3></body></html>")));
        assertThat(projects.create("P1", "S1", "n", null).isTaken()).isTrue();
    }

    @Test
    void createAnsweredWith500IsABadGatewayAndIsNotRetried() {
        wm.stubFor(post(urlEqualTo("/data/projects")).willReturn(aResponse().withStatus(500).withBody(HTML_500)));
        assertThatThrownBy(() -> projects.create("P1", "S1", "n", null)).isInstanceOfSatisfying(XnatFailure.class,
                e -> assertThat(e.detail()).contains("project creation failed: HTTP 500"));
        wm.verify(1, postRequestedFor(urlEqualTo("/data/projects")));
    }

    @Test
    void prearchiveCodeIsPutAsAPathSegment() {
        wm.stubFor(put(urlEqualTo("/data/projects/P1/prearchive_code/4")).willReturn(aResponse().withStatus(200)));
        assertThat(projects.setPrearchiveCode("P1", 4)).isTrue();
        wm.verify(1, putRequestedFor(urlEqualTo("/data/projects/P1/prearchive_code/4")));
    }

    @Test
    void prearchiveCodeForAnUnknownProjectIsOurNotFoundAlthoughXnatSays400() {
        wm.stubFor(put(urlPathEqualTo("/data/projects/NOPE/prearchive_code/4")).willReturn(aResponse().withStatus(400)
                .withBody("<html><body><h3>You can't set the 'prearchive_code' attribute</h3></body></html>")));
        assertThat(projects.setPrearchiveCode("NOPE", 4)).isFalse();
    }

    @Test
    void prearchiveCodeAnsweredWith500IsABadGateway() {
        wm.stubFor(put(urlPathEqualTo("/data/projects/P1/prearchive_code/4")).willReturn(aResponse().withStatus(500)));
        assertThatThrownBy(() -> projects.setPrearchiveCode("P1", 4)).isInstanceOfSatisfying(XnatFailure.class,
                e -> assertThat(e.detail()).contains("prearchive code setting failed"));
    }

    @Test
    void deleteRemovesFilesToo() {
        wm.stubFor(delete(urlPathEqualTo("/data/projects/P1")).willReturn(aResponse().withStatus(200)));
        assertThat(projects.delete("P1")).isTrue();
        wm.verify(1, deleteRequestedFor(urlEqualTo("/data/projects/P1?removeFiles=true")));
    }

    @Test
    void deleteOfAnUnknownProjectIsOurNotFoundAlthoughXnatSays400() {
        wm.stubFor(delete(urlPathEqualTo("/data/projects/NOPE")).willReturn(aResponse().withStatus(400)));
        assertThat(projects.delete("NOPE")).isFalse();
    }

    @Test
    void deleteAnsweredWith500IsABadGateway() {
        wm.stubFor(delete(urlPathEqualTo("/data/projects/P1")).willReturn(aResponse().withStatus(500).withBody(HTML_500)));
        assertThatThrownBy(() -> projects.delete("P1")).isInstanceOfSatisfying(XnatFailure.class,
                e -> assertThat(e.detail()).contains("project deletion failed: HTTP 500"));
    }

    @Test
    void everyCallCarriesTheSessionCookie() {
        wm.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(okJson(resultSet(""))));
        projects.find("P1");
        wm.verify(getRequestedFor(urlPathEqualTo("/data/projects"))
                .withHeader("Cookie", equalTo("JSESSIONID=0123456789ABCDEF0123456789ABCDEF")));
    }
}
