package org.flip.imagingapi.experiment;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.flip.imagingapi.config.InboundAuthProperties;
import org.flip.imagingapi.model.Experiment;
import org.flip.imagingapi.model.Subject;
import org.flip.imagingapi.web.ProblemAdvice;
import org.flip.imagingapi.web.Problems;
import org.flip.imagingapi.xnat.XnatExperiments;
import org.flip.imagingapi.xnat.TestFailures;
import org.flip.imagingapi.xnat.XnatFailure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Pins contract §3 "Subjects and experiments". Reference checklist §14.2 counterparts: subjects,
 * experiments and /experiment/EXP1 each 200 / 404 / failure (the reference's 500 is our 502).
 */
@WebMvcTest(ExperimentController.class)
@Import({ProblemAdvice.class, Problems.class, ExperimentService.class})
@EnableConfigurationProperties(InboundAuthProperties.class)
@TestPropertySource(properties = "trust.internal-service.key=test-key-8d3f1b6a0c9e2d4f7a5b1c3e")
class ExperimentControllerTest {

    private static final String ITEM = "{\"items\":[{\"children\":[],\"meta\":{\"xsi:type\":\"xnat:ctSessionData\","
            + "\"isHistory\":false,\"create_event_id\":7},\"data_fields\":{\"ID\":\"XNAT_E00001\",\"project\":\"PROJ1\","
            + "\"subject_ID\":\"XNAT_S00001\",\"frames\":12}}]}";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    XnatExperiments experiments;

    private static MockHttpServletRequestBuilder authed(MockHttpServletRequestBuilder request) {
        return request.header("X-Trust-Internal-Service-Key", "test-key-8d3f1b6a0c9e2d4f7a5b1c3e");
    }

    private static XnatFailure xnat500() {
        return TestFailures.rejected("XNAT subject listing failed: HTTP 500 - boom", 500);
    }

    @Test
    void subjectsAreAnsweredWithXnatsFieldNames() throws Exception {
        given(experiments.subjects("PROJ1")).willReturn(Optional.of(List.of(new Subject("XNAT_S00002", "subj1",
                "2013-09-05 10:01:03.035", "PROJ1", "admin", "/data/subjects/XNAT_S00002"))));
        mvc.perform(authed(get("/projects/PROJ1/subjects"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0].ID").value("XNAT_S00002"))
                .andExpect(jsonPath("$[0].label").value("subj1"))
                .andExpect(jsonPath("$[0].insert_date").value("2013-09-05 10:01:03.035"))
                .andExpect(jsonPath("$[0].project").value("PROJ1"))
                .andExpect(jsonPath("$[0].insert_user").value("admin"))
                .andExpect(jsonPath("$[0].URI").value("/data/subjects/XNAT_S00002"));
    }

    @Test
    void subjectsOfAnUnknownProjectAre404() throws Exception {
        given(experiments.subjects("NOPE")).willReturn(Optional.empty());
        mvc.perform(authed(get("/projects/NOPE/subjects"))).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("not_found"));
    }

    @Test
    void subjectsFailingInXnatAre502() throws Exception {
        given(experiments.subjects("PROJ1")).willThrow(xnat500());
        mvc.perform(authed(get("/projects/PROJ1/subjects"))).andExpect(status().isBadGateway())
                .andExpect(jsonPath("$.detail").value("XNAT subject listing failed: HTTP 500 - boom"));
    }

    @Test
    void experimentsAreAnsweredWithXnatsFieldNamesIncludingTheAssessorColumn() throws Exception {
        given(experiments.experiments("PROJ1")).willReturn(Optional.of(List.of(new Experiment("XNAT_E00012", "FAK1", "2024-01-01",
                "PROJ1", "2024-01-02 10:00:00.0", "xnat:ctSessionData", "/data/experiments/XNAT_E00012", null))));
        mvc.perform(authed(get("/projects/PROJ1/experiments"))).andExpect(status().isOk())
                .andExpect(jsonPath("$[0].ID").value("XNAT_E00012"))
                .andExpect(jsonPath("$[0].label").value("FAK1"))
                .andExpect(jsonPath("$[0].date").value("2024-01-01"))
                .andExpect(jsonPath("$[0].insert_date").value("2024-01-02 10:00:00.0"))
                .andExpect(jsonPath("$[0].xsiType").value("xnat:ctSessionData"))
                .andExpect(jsonPath("$[0].URI").value("/data/experiments/XNAT_E00012"))
                .andExpect(jsonPath("$[0].['xnat:subjectassessordata/id']").isEmpty());
    }

    @Test
    void experimentsOfAnUnknownProjectAre404() throws Exception {
        given(experiments.experiments("NOPE")).willReturn(Optional.empty());
        mvc.perform(authed(get("/projects/NOPE/experiments"))).andExpect(status().isNotFound());
    }

    @Test
    void experimentsFailingInXnatAre502() throws Exception {
        given(experiments.experiments("PROJ1")).willThrow(xnat500());
        mvc.perform(authed(get("/projects/PROJ1/experiments"))).andExpect(status().isBadGateway());
    }

    @Test
    void oneExperimentIsXnatsItemJsonUnchangedOnBothPaths() throws Exception {
        given(experiments.experiment("PROJ1", "XNAT_E00001")).willReturn(Optional.of(new ObjectMapper().readTree(ITEM)));
        for (String path : new String[] {"/projects/PROJ1/experiments/XNAT_E00001", "/projects/PROJ1/experiment/XNAT_E00001"}) {
            mvc.perform(authed(get(path))).andExpect(status().isOk()).andExpect(content().json(ITEM, true));
        }
    }

    @Test
    void anAbsentOrForeignExperimentIs404() throws Exception {
        given(experiments.experiment("PROJ1", "EXP1")).willReturn(Optional.empty());
        mvc.perform(authed(get("/projects/PROJ1/experiment/EXP1"))).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("Experiment with ID or label 'EXP1' not found in project 'PROJ1'."));
    }

    @Test
    void anExperimentFailingInXnatIs502() throws Exception {
        given(experiments.experiment("PROJ1", "EXP1")).willThrow(xnat500());
        mvc.perform(authed(get("/projects/PROJ1/experiments/EXP1"))).andExpect(status().isBadGateway());
    }

    @Test
    void theSubjectOfAnExperimentIsAnsweredAsSubjectId() throws Exception {
        given(experiments.subjectId("PROJ1", "ACC1")).willReturn(Optional.of("XNAT_S00001"));
        mvc.perform(authed(get("/projects/PROJ1/experiments/ACC1/subject"))).andExpect(status().isOk())
                .andExpect(content().json("{\"subject_ID\":\"XNAT_S00001\"}", true));
    }

    @Test
    void theSubjectOfAnAbsentExperimentIs404AndAMissingSubjectIdIs502() throws Exception {
        given(experiments.subjectId("PROJ1", "NOPE")).willReturn(Optional.empty());
        given(experiments.subjectId("PROJ1", "ODD")).willThrow(TestFailures.rejected("no subject_ID", 200));
        mvc.perform(authed(get("/projects/PROJ1/experiments/NOPE/subject"))).andExpect(status().isNotFound());
        mvc.perform(authed(get("/projects/PROJ1/experiments/ODD/subject"))).andExpect(status().isBadGateway());
    }

    @Test
    void withoutTheKeyEveryRouteIs401AndNothingIsCalled() throws Exception {
        for (String path : new String[] {"/projects/PROJ1/subjects", "/projects/PROJ1/experiments",
                "/projects/PROJ1/experiments/E1", "/projects/PROJ1/experiment/E1", "/projects/PROJ1/experiments/E1/subject"}) {
            mvc.perform(get(path)).andExpect(status().isUnauthorized());
        }
        verifyNoInteractions(experiments);
    }

    @Test
    void hostileIdentifiersAre4xxAndNeverReachXnat() throws Exception {
        String longId = "a".repeat(300);
        for (String bad : new String[] {"..", "%2e%2e", "a%2Fb", "a%20b", longId, "a;b", "a%3Bb", "E1;x=1", "%2e",
                "a%3Fb", "a%23b"}) {
            for (String path : new String[] {"/projects/" + bad + "/subjects", "/projects/" + bad + "/experiments",
                    "/projects/PROJ1/experiments/" + bad, "/projects/PROJ1/experiment/" + bad,
                    "/projects/PROJ1/experiments/" + bad + "/subject", "/projects/" + bad + "/experiments/E1"}) {
                mvc.perform(authed(get(URI.create(path)))).andExpect(status().is4xxClientError());
            }
        }
        mvc.perform(authed(get(URI.create("/projects/PROJ1/experiments/" + "e".repeat(256)))))
                .andExpect(status().isUnprocessableEntity());
        mvc.perform(authed(get(URI.create("/projects/PROJ1/experiments/" + longId)))).andExpect(status().isUnprocessableEntity());
        verifyNoInteractions(experiments);
    }

    @Test
    void aValidExperimentLabelWithUnreservedCharactersPasses() throws Exception {
        given(experiments.experiment(anyString(), anyString())).willReturn(Optional.of(new ObjectMapper().readTree(ITEM)));
        mvc.perform(authed(get("/projects/PROJ_1-x/experiments/ACC-123._~"))).andExpect(status().isOk());
    }
}
