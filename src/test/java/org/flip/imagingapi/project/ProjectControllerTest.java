package org.flip.imagingapi.project;

import static org.hamcrest.Matchers.hasItem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.util.List;
import org.flip.imagingapi.config.InboundAuthProperties;
import org.flip.imagingapi.model.Project;
import org.flip.imagingapi.web.ProblemAdvice;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.web.Problems;
import org.flip.imagingapi.xnat.TestFailures;
import org.flip.imagingapi.xnat.XnatFailure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Pins contract §3 "Projects" (but the provisioning flow): every status of these endpoints.
 * Reference checklist §14.2 counterparts: GET /projects 200 / failure; POST /projects 201 (was 200
 * with query params), taken ID 409 (was 400), failure 502 (was 500); DELETE 200 / 404 / 502;
 * GET /projects/{id} 200 / 404 / 502. The reference's "other → 500" cases are XNAT failures, our 502.
 */
@WebMvcTest(ProjectController.class)
@Import({ProblemAdvice.class, Problems.class})
@EnableConfigurationProperties(InboundAuthProperties.class)
@TestPropertySource(properties = "trust.internal-service.key=test-key-8d3f1b6a0c9e2d4f7a5b1c3e")
class ProjectControllerTest {

    private static final String KEY_HEADER = "X-Trust-Internal-Service-Key";
    private static final String HUB_ID = "2fd4e1c6-7a2d-4b1e-9c3f-5a6b7c8d9e0f";
    private static final Project PROJ1 = new Project("PROJ1", HUB_ID, "Stroke", null, "", "", "/data/projects/PROJ1");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ProjectService service;

    private static MockHttpServletRequestBuilder authed(MockHttpServletRequestBuilder request) {
        return request.header(KEY_HEADER, "test-key-8d3f1b6a0c9e2d4f7a5b1c3e");
    }

    private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
        return authed(request).contentType(MediaType.APPLICATION_JSON).content(body);
    }

    private static XnatFailure xnat500() {
        return TestFailures.rejected("XNAT project lookup by ID failed: HTTP 500 - Internal Server Error", 500);
    }

    @Test
    void listingAnswersEveryProject() throws Exception {
        given(service.list()).willReturn(List.of(PROJ1));
        mvc.perform(authed(get("/projects"))).andExpect(status().isOk()).andExpect(jsonPath("$[0].ID").value("PROJ1"));
    }

    @Test
    void listingFailureInXnatIsA502Problem() throws Exception {
        given(service.list()).willThrow(xnat500());
        mvc.perform(authed(get("/projects"))).andExpect(status().isBadGateway())
                .andExpect(jsonPath("$.code").value("xnat_error"));
    }

    @Test
    void aProjectIsAnsweredWithXnatsFieldNames() throws Exception {
        given(service.get("PROJ1")).willReturn(PROJ1);
        mvc.perform(authed(get("/projects/PROJ1"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.ID").value("PROJ1"))
                .andExpect(jsonPath("$.secondary_ID").value(HUB_ID))
                .andExpect(jsonPath("$.description").isEmpty())
                .andExpect(jsonPath("$.pi_firstname").value(""))
                .andExpect(jsonPath("$.URI").value("/data/projects/PROJ1"));
    }

    @Test
    void anUnknownProjectIsA404Problem() throws Exception {
        given(service.get("NOPE")).willThrow(ProblemException.projectNotFound("NOPE"));
        mvc.perform(authed(get("/projects/NOPE"))).andExpect(status().isNotFound())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.code").value("not_found"))
                .andExpect(jsonPath("$.detail").value("Project with ID 'NOPE' not found."));
    }

    @Test
    void aProjectLookupFailureInXnatIsA502() throws Exception {
        given(service.get("PROJ1")).willThrow(xnat500());
        mvc.perform(authed(get("/projects/PROJ1"))).andExpect(status().isBadGateway());
    }

    @Test
    void withoutTheKeyEveryProjectRouteIs401AndNothingIsCalled() throws Exception {
        mvc.perform(get("/projects/PROJ1")).andExpect(status().isUnauthorized());
        mvc.perform(get("/projects/central-hub/" + HUB_ID).header(KEY_HEADER, "wrong")).andExpect(status().isUnauthorized());
        mvc.perform(post("/projects").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isUnauthorized());
        mvc.perform(put("/projects/PROJ1/prearchive-code").contentType(MediaType.APPLICATION_JSON)
                .content("{\"code\":4}")).andExpect(status().isUnauthorized());
        mvc.perform(delete("/projects/PROJ1")).andExpect(status().isUnauthorized());
        verifyNoInteractions(service);
    }

    @Test
    void theHubsProjectIsFoundBySecondaryId() throws Exception {
        given(service.getByCentralHubId(HUB_ID)).willReturn(PROJ1);
        mvc.perform(authed(get("/projects/central-hub/" + HUB_ID))).andExpect(status().isOk())
                .andExpect(jsonPath("$.ID").value("PROJ1"));
    }

    @Test
    void anUnknownHubProjectIsA404() throws Exception {
        given(service.getByCentralHubId(anyString())).willThrow(ProblemException.notFound("none"));
        mvc.perform(authed(get("/projects/central-hub/" + HUB_ID))).andExpect(status().isNotFound());
    }

    @Test
    void aHubProjectIdThatIsNoUuidIs422AndNothingIsCalled() throws Exception {
        mvc.perform(authed(get("/projects/central-hub/not-a-uuid"))).andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[0].field").value("centralHubProjectId"));
        verifyNoInteractions(service);
    }

    @Test
    void createAnswers201WithTheProjectAndItsLocation() throws Exception {
        given(service.create(any())).willReturn(PROJ1);
        mvc.perform(json(post("/projects"), "{\"id\":\"PROJ1\",\"secondary_id\":\"" + HUB_ID
                        + "\",\"name\":\"Stroke\"}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/projects/PROJ1"))
                .andExpect(jsonPath("$.ID").value("PROJ1"));
        verify(service).create(new CreateProjectRequest("PROJ1", HUB_ID, "Stroke", null));
    }

    @Test
    void createAcceptsMarkupCharactersInNameAndDescriptionBecauseTheWriterEscapesThem() throws Exception {
        given(service.create(any())).willReturn(PROJ1);
        mvc.perform(json(post("/projects"), "{\"id\":\"PROJ1\",\"secondary_id\":\"S1\",\"name\":\"a <b> & c\","
                + "\"description\":\"<!DOCTYPE x>\\ttab\\nline\"}")).andExpect(status().isCreated());
        verify(service).create(new CreateProjectRequest("PROJ1", "S1", "a <b> & c", "<!DOCTYPE x>\ttab\nline"));
    }

    @Test
    void createWithATakenIdIs409() throws Exception {
        given(service.create(any())).willThrow(ProblemException.conflict("Project ID 'PROJ1' already exists."));
        mvc.perform(json(post("/projects"), "{\"id\":\"PROJ1\",\"secondary_id\":\"S1\",\"name\":\"n\"}"))
                .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("conflict"));
    }

    @Test
    void createFailingInXnatIs502() throws Exception {
        given(service.create(any())).willThrow(xnat500());
        mvc.perform(json(post("/projects"), "{\"id\":\"PROJ1\",\"secondary_id\":\"S1\",\"name\":\"n\"}"))
                .andExpect(status().isBadGateway());
    }

    @Test
    void createWithXmlControlCharactersIs422AndNothingIsCalled() throws Exception {
        for (String name : new String[] {"a\\u0000b", "bell\\u0007", "esc\\u001b[0m", "del\\u007f", "lone\\ud800"}) {
            mvc.perform(json(post("/projects"), "{\"id\":\"PROJ1\",\"secondary_id\":\"S1\",\"name\":\"" + name + "\"}"))
                    .andExpect(status().isUnprocessableEntity())
                    .andExpect(jsonPath("$.errors[*].field", hasItem("name")))
                    .andExpect(jsonPath("$.errors[0].message")
                            .value("must not contain control characters, lone surrogates, U+FFFE or U+FFFF"));
        }
        mvc.perform(json(post("/projects"), "{\"id\":\"PROJ1\",\"secondary_id\":\"S\\u0001\",\"name\":\"n\","
                + "\"description\":\"d\\u0002\"}")).andExpect(status().isUnprocessableEntity());
        verifyNoInteractions(service);
    }

    @Test
    void createWithABadOrMissingFieldIs422() throws Exception {
        mvc.perform(json(post("/projects"), "{\"id\":\"a.b\",\"secondary_id\":\"S1\",\"name\":\"n\"}"))
                .andExpect(status().isUnprocessableEntity()).andExpect(jsonPath("$.errors[0].field").value("id"));
        mvc.perform(json(post("/projects"), "{\"id\":\"" + "x".repeat(65) + "\",\"secondary_id\":\"S1\",\"name\":\"n\"}"))
                .andExpect(status().isUnprocessableEntity());
        mvc.perform(json(post("/projects"), "{\"secondary_id\":\"S1\",\"name\":\"n\"}"))
                .andExpect(status().isUnprocessableEntity());
        mvc.perform(json(post("/projects"), "{\"id\":\"P\",\"name\":\"n\"}")).andExpect(status().isUnprocessableEntity());
        mvc.perform(json(post("/projects"), "{\"id\":\"P\",\"secondary_id\":\"S\",\"name\":\"  \"}"))
                .andExpect(status().isUnprocessableEntity());
        verifyNoInteractions(service);
    }

    @Test
    void createWithUnreadableJsonIs400() throws Exception {
        mvc.perform(json(post("/projects"), "{\"id\":")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("malformed_request"));
        mvc.perform(json(post("/projects"), "{\"id\":[1],\"secondary_id\":\"S\",\"name\":\"n\"}"))
                .andExpect(status().isBadRequest());
        verifyNoInteractions(service);
    }

    @Test
    void prearchiveCodeAnswersTheCode() throws Exception {
        given(service.setPrearchiveCode(eq("PROJ1"), any())).willAnswer(call -> call.getArgument(1));
        for (int code : new int[] {0, 4, 5}) {
            mvc.perform(json(put("/projects/PROJ1/prearchive-code"), "{\"code\":" + code + "}"))
                    .andExpect(status().isOk()).andExpect(jsonPath("$.code").value(code));
        }
    }

    @Test
    void aPrearchiveCodeOtherThan045Is422AndNothingIsCalled() throws Exception {
        for (String body : new String[] {"{\"code\":1}", "{\"code\":11}", "{\"code\":-4}", "{}", "{\"code\":null}"}) {
            mvc.perform(json(put("/projects/PROJ1/prearchive-code"), body)).andExpect(status().isUnprocessableEntity())
                    .andExpect(jsonPath("$.errors[0].field").value("code"));
        }
        verifyNoInteractions(service);
    }

    @Test
    void aPrearchiveCodeThatIsNoNumberIs400() throws Exception {
        mvc.perform(json(put("/projects/PROJ1/prearchive-code"), "{\"code\":\"four\"}")).andExpect(status().isBadRequest());
    }

    @Test
    void prearchiveCodeOfAnUnknownProjectIs404() throws Exception {
        given(service.setPrearchiveCode(eq("NOPE"), any())).willThrow(ProblemException.projectNotFound("NOPE"));
        mvc.perform(json(put("/projects/NOPE/prearchive-code"), "{\"code\":4}")).andExpect(status().isNotFound());
    }

    @Test
    void prearchiveCodeFailingInXnatIs502() throws Exception {
        given(service.setPrearchiveCode(eq("PROJ1"), any())).willThrow(xnat500());
        mvc.perform(json(put("/projects/PROJ1/prearchive-code"), "{\"code\":4}")).andExpect(status().isBadGateway());
    }

    @Test
    void deleteAnswersTheProjectAsItWas() throws Exception {
        given(service.delete("PROJ1")).willReturn(PROJ1);
        mvc.perform(authed(delete("/projects/PROJ1"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.ID").value("PROJ1")).andExpect(jsonPath("$.name").value("Stroke"));
    }

    @Test
    void deleteOfAnUnknownProjectIs404() throws Exception {
        given(service.delete("NOPE")).willThrow(ProblemException.projectNotFound("NOPE"));
        mvc.perform(authed(delete("/projects/NOPE"))).andExpect(status().isNotFound());
    }

    @Test
    void deleteFailingInXnatIs502() throws Exception {
        given(service.delete("PROJ1")).willThrow(xnat500());
        mvc.perform(authed(delete("/projects/PROJ1"))).andExpect(status().isBadGateway());
    }

    @Test
    void hostileProjectIdsAre4xxAndNeverReachTheService() throws Exception {
        for (String path : new String[] {"/projects/..", "/projects/%2e%2e", "/projects/a%2Fb", "/projects/a%20b",
                "/projects/" + "a".repeat(300), "/projects/a;b", "/projects/a%3Bb", "/projects/PROJ1;x=1"}) {
            mvc.perform(authed(get(URI.create(path)))).andExpect(status().is4xxClientError());
            mvc.perform(authed(delete(URI.create(path)))).andExpect(status().is4xxClientError());
            mvc.perform(json(put(URI.create(path + "/prearchive-code")), "{\"code\":4}"))
                    .andExpect(status().is4xxClientError());
        }
        verifyNoInteractions(service);
    }
}
