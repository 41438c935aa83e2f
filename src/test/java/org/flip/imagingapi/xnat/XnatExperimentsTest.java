package org.flip.imagingapi.xnat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flip.imagingapi.xnat.ProjectsTestGateway.HTML_500;
import static org.flip.imagingapi.xnat.ProjectsTestGateway.projectRow;
import static org.flip.imagingapi.xnat.ProjectsTestGateway.resultSet;

import org.flip.imagingapi.web.XnatProblems;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.flip.imagingapi.model.Experiment;
import org.flip.imagingapi.model.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

/**
 * Exact wire behaviour of the subject/experiment client. Reference checklist §14.1 counterparts:
 * get_subjects (200, 500), get_experiments (200, 500 non-JSON checked before parsing, the global
 * listing with project as a query value and never the project-scoped one), get_experiment (200
 * unchanged, 404, 500), get_subject_id_from_experiment_response (present, missing), and the newer
 * URL-safety cases (each value one encoded segment, request id forwarded).
 */
class XnatExperimentsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String EXPERIMENT_JSON = """
            {"items":[{"children":[{"field":"scans/scan","items":[{"children":[],"meta":{"isHistory":false},
            "data_fields":{"ID":"1","type":"CT"}}]}],
            "meta":{"create_event_id":12,"xsi:type":"xnat:ctSessionData","isHistory":false},
            "data_fields":{"ID":"XNAT_E00001","label":"ACC1","project":"TEST","subject_ID":"XNAT_S00001",
            "date":"2024-01-01"}}]}""";

    private XnatExperiments experiments;

    @BeforeEach
    void setUp() {
        XnatGateway gateway = ProjectsTestGateway.against(wm);
        experiments = new XnatExperiments(gateway, new XnatProjects(gateway));
    }

    @AfterEach
    void tearDown() {
        MDC.clear();
    }

    @Test
    void subjectsComeFromTheProjectsSubjectListingInOneCall() {
        wm.stubFor(get(urlPathEqualTo("/data/projects/TEST/subjects")).willReturn(okJson(resultSet(
                "{\"project\":\"TEST\",\"insert_user\":\"admin\",\"ID\":\"XNAT_S00002\",\"insert_date\":"
                        + "\"2013-09-05 10:01:03.035\",\"label\":\"subj1\",\"URI\":\"/data/subjects/XNAT_S00002\"}"))));
        assertThat(experiments.subjects("TEST").orElseThrow()).containsExactly(new Subject("XNAT_S00002", "subj1",
                "2013-09-05 10:01:03.035", "TEST", "admin", "/data/subjects/XNAT_S00002"));
        wm.verify(1, getRequestedFor(urlEqualTo("/data/projects/TEST/subjects?format=json")));
        wm.verify(0, getRequestedFor(urlPathEqualTo("/data/projects")));
    }

    @Test
    void subjectsOfAnUnknownProjectAreOurNotFound() {
        wm.stubFor(get(urlPathEqualTo("/data/projects/NOPE/subjects")).willReturn(aResponse().withStatus(404)
                .withBody("<html><body><h3>Unable to identify project</h3></body></html>")));
        assertThat(experiments.subjects("NOPE")).isEmpty();
    }

    @Test
    void subjectsAnswered500WithHtmlAreABadGatewayNotAParseError() {
        wm.stubFor(get(urlPathEqualTo("/data/projects/TEST/subjects")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "text/html").withBody(HTML_500)));
        assertThatThrownBy(() -> experiments.subjects("TEST")).isInstanceOfSatisfying(XnatFailure.class, e -> {
            assertThat(XnatProblems.of(e).status().value()).isEqualTo(502);
            assertThat(e.detail()).contains("subject listing failed: HTTP 500");
        });
    }

    @Test
    void experimentsUseTheGlobalListingSoDxSessionsShowUp() {
        stubProjectExists("TEST");
        wm.stubFor(get(urlPathEqualTo("/data/experiments")).willReturn(okJson(resultSet(
                "{\"ID\":\"XNAT_E00012\",\"label\":\"exp1\",\"date\":\"\",\"project\":\"TEST\",\"insert_date\":"
                        + "\"2024-01-02 10:00:00.0\",\"xsiType\":\"xnat:dxSessionData\",\"URI\":\"/data/experiments/XNAT_E00012\"}"))));
        assertThat(experiments.experiments("TEST").orElseThrow()).containsExactly(new Experiment("XNAT_E00012", "exp1", "",
                "TEST", "2024-01-02 10:00:00.0", "xnat:dxSessionData", "/data/experiments/XNAT_E00012", null));
        wm.verify(1, getRequestedFor(urlEqualTo("/data/experiments?format=json&project=TEST")));
        wm.verify(0, getRequestedFor(urlPathMatching("/data/projects/.*/experiments")));
        wm.verify(1, getRequestedFor(urlEqualTo("/data/projects?format=json&ID=TEST")));
    }

    @Test
    void experimentsOfAnUnknownProjectAreOurNotFoundThoughTheGlobalListingIsEmpty() {
        wm.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(okJson(resultSet(""))));
        wm.stubFor(get(urlPathEqualTo("/data/experiments")).willReturn(okJson(resultSet(""))));
        assertThat(experiments.experiments("NOPE")).isEmpty();
    }

    @Test
    void experimentsAnswered500WithANonJsonBodyAreABadGateway() {
        stubProjectExists("TEST");
        wm.stubFor(get(urlPathEqualTo("/data/experiments")).willReturn(aResponse().withStatus(500)
                .withBody("not json at all")));
        assertThatThrownBy(() -> experiments.experiments("TEST")).isInstanceOfSatisfying(XnatFailure.class,
                e -> assertThat(e.detail()).contains("experiment listing failed: HTTP 500 - not json at all"));
    }

    @Test
    void theExistenceCheckRunningBesideTheListingCarriesTheRequestId() {
        stubProjectExists("TEST");
        wm.stubFor(get(urlPathEqualTo("/data/experiments")).willReturn(okJson(resultSet(""))));
        MDC.put("requestId", "req-42");
        experiments.experiments("TEST");
        wm.verify(getRequestedFor(urlPathEqualTo("/data/projects")).withHeader("X-Request-ID", equalTo("req-42")));
        wm.verify(getRequestedFor(urlPathEqualTo("/data/experiments")).withHeader("X-Request-ID", equalTo("req-42")));
    }

    @Test
    void oneExperimentIsXnatsItemJsonUnchanged() throws Exception {
        wm.stubFor(get(urlEqualTo("/data/projects/TEST/experiments/XNAT_E00001?format=json"))
                .willReturn(okJson(EXPERIMENT_JSON)));
        JsonNode node = experiments.experiment("TEST", "XNAT_E00001").orElseThrow();
        assertThat(node).isEqualTo(new ObjectMapper().readTree(EXPERIMENT_JSON));
        wm.verify(1, getRequestedFor(urlPathMatching("/data/.*")));
    }

    @Test
    void anExperimentXnatFoundInAnotherProjectIsOurNotFound() {
        wm.stubFor(get(urlPathEqualTo("/data/projects/OTHER/experiments/XNAT_E00001"))
                .willReturn(okJson(EXPERIMENT_JSON)));
        assertThat(experiments.experiment("OTHER", "XNAT_E00001")).isEmpty();
    }

    @Test
    void anExperimentSharedIntoTheProjectIsFound() {
        String shared = """
                {"items":[{"children":[{"field":"sharing/share","items":[{"children":[],"meta":{"isHistory":false},
                "data_fields":{"project":"OTHER","label":"ACC1_shared"}}]}],"meta":{"isHistory":false},
                "data_fields":{"ID":"XNAT_E00001","project":"TEST","subject_ID":"XNAT_S00001"}}]}""";
        wm.stubFor(get(urlPathEqualTo("/data/projects/OTHER/experiments/ACC1_shared")).willReturn(okJson(shared)));
        assertThat(experiments.experiment("OTHER", "ACC1_shared").orElseThrow().path("items").path(0).path("data_fields")
                .path("ID").asText()).isEqualTo("XNAT_E00001");
    }

    @Test
    void anAbsentExperimentIsOurNotFound() {
        wm.stubFor(get(urlPathEqualTo("/data/projects/TEST/experiments/NOPE")).willReturn(aResponse().withStatus(404)
                .withBody("<html><body><h3>Unable to find the specified experiment.</h3></body></html>")));
        assertThat(experiments.experiment("TEST", "NOPE")).isEmpty();
    }

    @Test
    void anExperimentAnswered500IsABadGateway() {
        wm.stubFor(get(urlPathEqualTo("/data/projects/TEST/experiments/E1")).willReturn(aResponse().withStatus(500)
                .withBody(HTML_500)));
        assertThatThrownBy(() -> experiments.experiment("TEST", "E1")).isInstanceOfSatisfying(XnatFailure.class,
                e -> assertThat(e.detail()).contains("experiment lookup failed: HTTP 500"));
    }

    @Test
    void anExperimentAnsweredWithAnHtmlPageOn200IsABadGateway() {
        wm.stubFor(get(urlPathEqualTo("/data/projects/TEST/experiments/E1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html><body>login</body></html>")));
        assertThatThrownBy(() -> experiments.experiment("TEST", "E1")).isInstanceOfSatisfying(XnatFailure.class,
                e -> assertThat(XnatProblems.of(e).status().value()).isEqualTo(502));
    }

    @Test
    void theSubjectIsReadFromTheFirstItemsDataFields() {
        wm.stubFor(get(urlPathEqualTo("/data/projects/TEST/experiments/ACC1")).willReturn(okJson(EXPERIMENT_JSON)));
        assertThat(experiments.subjectId("TEST", "ACC1").orElseThrow()).isEqualTo("XNAT_S00001");
    }

    @Test
    void anExperimentWithoutASubjectIdIsABadGateway() {
        wm.stubFor(get(urlPathEqualTo("/data/projects/TEST/experiments/ACC1")).willReturn(okJson(
                "{\"items\":[{\"meta\":{\"isHistory\":false},\"data_fields\":{\"project\":\"TEST\"}}]}")));
        assertThatThrownBy(() -> experiments.subjectId("TEST", "ACC1")).isInstanceOfSatisfying(XnatFailure.class,
                e -> assertThat(e.detail()).contains("subject_ID"));
    }

    @Test
    void jsonWithoutItemsIsABadGateway() {
        wm.stubFor(get(urlPathEqualTo("/data/projects/TEST/experiments/ACC1")).willReturn(okJson("{}")));
        assertThatThrownBy(() -> experiments.subjectId("TEST", "ACC1")).isInstanceOfSatisfying(XnatFailure.class,
                e -> assertThat(XnatProblems.of(e).status().value()).isEqualTo(502));
    }

    @Test
    void everyIdentifierIsEncodedAsOneSegment() {
        wm.stubFor(get(urlPathMatching("/data/projects/.*")).willReturn(aResponse().withStatus(404)));
        String[][] cases = {
                {"ACC-123._~", "ACC-123._~"},
                {"../other", "..%2Fother"},
                {"label?format=xml&other=yes", "label%3Fformat%3Dxml%26other%3Dyes"},
                {"label#fragment", "label%23fragment"},
                {"%2e%2e%2fadmin", "%252e%252e%252fadmin"},
                {"image data", "image%20data"},
                {"αβ", "%CE%B1%CE%B2"}};
        for (String[] c : cases) {
            assertThat(experiments.experiment("PROJ?format=xml", c[0])).isEmpty();
            wm.verify(getRequestedFor(urlEqualTo("/data/projects/PROJ%3Fformat%3Dxml/experiments/" + c[1]
                    + "?format=json")));
        }
    }

    @Test
    void emptyAndDotSegmentIdentifiersNeverReachXnat() {
        for (String bad : new String[] {"", ".", ".."}) {
            assertThatThrownBy(() -> experiments.experiment("TEST", bad)).isInstanceOf(IllegalArgumentException.class);
        }
        wm.verify(0, getRequestedFor(urlPathMatching("/data/projects/.*")));
    }

    private static void stubProjectExists(String id) {
        wm.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(okJson(resultSet(projectRow(id, "S-" + id)))));
    }
}
