package org.flip.imagingapi.audit;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import org.flip.imagingapi.config.InboundAuthProperties;
import org.flip.imagingapi.user.CentralHubUser;
import org.flip.imagingapi.web.ProblemAdvice;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.web.Problems;
import org.flip.imagingapi.xnat.TestFailures;
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

/** The HTTP shape of the three audit operations: parameters, body rules, statuses. */
@WebMvcTest(AuditController.class)
@Import({ProblemAdvice.class, Problems.class})
@EnableConfigurationProperties(InboundAuthProperties.class)
@TestPropertySource(properties = "trust.internal-service.key=test-key-8d3f1b6a0c9e2d4f7a5b1c3e")
class AuditControllerTest {

    private static final String HUB_ID = "2fd4e1c6-7a2d-4b1e-9c3f-5a6b7c8d9e0f";
    private static final AuditReport DRIFTED = AuditReport.of("PROJ1", List.of(
            AuditCheck.ok("command", "a command", "command 2"),
            AuditCheck.drift("prearchive_code", "4", "0", "Re-running provisioning sets the prearchive code to 4.")),
            List.of("hub_users_in_project", "extra_members", "never_logged_in"), "POST the users");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ProvisioningAudit audit;

    private static MockHttpServletRequestBuilder authed(MockHttpServletRequestBuilder request) {
        return request.header("X-Trust-Internal-Service-Key", "test-key-8d3f1b6a0c9e2d4f7a5b1c3e");
    }

    @Test
    void getAnswersTheReportWithLowerCaseStatusesDicomToNiftiTrueAndIncludeLoginsFalseByDefault() throws Exception {
        given(audit.byProjectId("PROJ1", true, false, null)).willReturn(DRIFTED);

        mvc.perform(authed(get("/projects/PROJ1/audit")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.project_id").value("PROJ1"))
                .andExpect(jsonPath("$.status").value("drift"))
                .andExpect(jsonPath("$.checks[0].status").value("ok"))
                .andExpect(jsonPath("$.checks[0].fix").isEmpty())
                .andExpect(jsonPath("$.checks[1].check").value("prearchive_code"))
                .andExpect(jsonPath("$.checks[1].status").value("drift"))
                .andExpect(jsonPath("$.checks.length()").value(2))
                .andExpect(jsonPath("$.not_checked[2]").value("never_logged_in"))
                .andExpect(jsonPath("$.not_checked_fix").value("POST the users"));
    }

    @Test
    void includeLoginsIsPassedOnByBothGetsAndAMalformedOneIsACallerError() throws Exception {
        given(audit.byProjectId("PROJ1", true, true, null)).willReturn(DRIFTED);
        given(audit.byHubProjectId(HUB_ID, true, true)).willReturn(DRIFTED);
        mvc.perform(authed(get("/projects/PROJ1/audit?include_logins=true"))).andExpect(status().isOk());
        mvc.perform(authed(get("/projects/central-hub/" + HUB_ID + "/audit?include_logins=true")))
                .andExpect(status().isOk());
        verify(audit).byProjectId("PROJ1", true, true, null);
        verify(audit).byHubProjectId(HUB_ID, true, true);

        mvc.perform(authed(get("/projects/PROJ1/audit?include_logins=perhaps"))).andExpect(status().is4xxClientError())
                .andExpect(jsonPath("$.code").exists());
    }

    @Test
    void aCompleteReportNamesNothingNotChecked() throws Exception {
        given(audit.byProjectId(eq("PROJ1"), eq(true), eq(true), any()))
                .willReturn(AuditReport.of("PROJ1", List.of(AuditCheck.ok("command", "a command", "command 2"))));
        mvc.perform(authed(post("/projects/PROJ1/audit")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"users\":[]}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.not_checked").isEmpty())
                .andExpect(jsonPath("$.not_checked_fix").isEmpty());
    }

    @Test
    void dicomToNiftiFalseIsPassedOnAndAMalformedOneIsACallerError() throws Exception {
        given(audit.byProjectId("PROJ1", false, false, null)).willReturn(DRIFTED);
        mvc.perform(authed(get("/projects/PROJ1/audit?dicom_to_nifti=false"))).andExpect(status().isOk());
        verify(audit).byProjectId("PROJ1", false, false, null);

        mvc.perform(authed(get("/projects/PROJ1/audit?dicom_to_nifti=maybe"))).andExpect(status().is4xxClientError())
                .andExpect(jsonPath("$.code").exists());
    }

    @Test
    void theHubRouteTakesACanonicalUuidLowerCased() throws Exception {
        given(audit.byHubProjectId(HUB_ID, true, false)).willReturn(DRIFTED);

        mvc.perform(authed(get("/projects/central-hub/" + HUB_ID.toUpperCase() + "/audit"))).andExpect(status().isOk());
        mvc.perform(authed(get("/projects/central-hub/not-a-uuid/audit"))).andExpect(status().is4xxClientError());
        verify(audit).byHubProjectId(HUB_ID, true, false);
    }

    @Test
    void postPassesTheHubUsersOnAndChecksThemLikeTheUsersCall() throws Exception {
        given(audit.byProjectId(eq("PROJ1"), eq(true), eq(true), any())).willReturn(DRIFTED);

        mvc.perform(authed(post("/projects/PROJ1/audit")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"users\":[{\"id\":\"" + HUB_ID + "\",\"email\":\"a@hospital.example.org\"}]}"))
                .andExpect(status().isOk());
        verify(audit).byProjectId("PROJ1", true, true, List.of(new CentralHubUser(HUB_ID, "a@hospital.example.org", false)));

        mvc.perform(authed(post("/projects/PROJ1/audit")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"users\":[{\"id\":\"nope\",\"email\":\"not an e-mail\"}]}"))
                .andExpect(status().isUnprocessableEntity());
    }

    @Test
    void anUnknownProjectIs404AndAnIllegalIdNeverReachesTheService() throws Exception {
        given(audit.byProjectId(eq("NOPE"), anyBoolean(), anyBoolean(), isNull()))
                .willThrow(ProblemException.projectNotFound("NOPE"));
        mvc.perform(authed(get("/projects/NOPE/audit"))).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("not_found"));

        mvc.perform(authed(get("/projects/bad%20id/audit"))).andExpect(status().is4xxClientError());
        verify(audit, org.mockito.Mockito.never()).byProjectId(eq("bad id"), anyBoolean(), anyBoolean(), any());
    }

    @Test
    void xnatFailingOnTheProjectLookupIsOurs() throws Exception {
        given(audit.byHubProjectId(anyString(), anyBoolean(), anyBoolean())).willThrow(
                TestFailures.rejected("XNAT project lookup by secondary ID failed: HTTP 500 - boom", 500));
        mvc.perform(authed(get("/projects/central-hub/" + HUB_ID + "/audit"))).andExpect(status().isBadGateway())
                .andExpect(jsonPath("$.code").value("xnat_error"));
    }

    @Test
    void withoutTheKeyNothingRuns() throws Exception {
        mvc.perform(get("/projects/PROJ1/audit")).andExpect(status().isUnauthorized());
        verifyNoInteractions(audit);
    }
}
