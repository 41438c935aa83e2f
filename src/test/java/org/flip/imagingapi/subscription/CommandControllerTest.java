package org.flip.imagingapi.subscription;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.flip.imagingapi.config.InboundAuthProperties;
import org.flip.imagingapi.model.CommandInfo;
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

/** Contract §3 "Event subscriptions and commands": {@code GET /commands}. */
@WebMvcTest(CommandController.class)
@Import(Problems.class)
@EnableConfigurationProperties(InboundAuthProperties.class)
@TestPropertySource(properties = "trust.internal-service.key=test-trust-key-5f0c2a9e4b7d1e3c8a6f")
class CommandControllerTest {

    static final String IMAGE = "ghcr.io/londonaicentre/xnat-dcm2niix:v1.0.20260724";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    CommandLookup lookup;

    static MockHttpServletRequestBuilder withKey(MockHttpServletRequestBuilder request) {
        return request.header("X-Trust-Internal-Service-Key", "test-trust-key-5f0c2a9e4b7d1e3c8a6f");
    }

    @Test
    void theCommandInfoCarriesBothIdsUnderTheContractsNames() throws Exception {
        when(lookup.find(IMAGE)).thenReturn(new CommandInfo(1, "dcm2niix", IMAGE, 12, "dcm2niix-scan"));

        mvc.perform(withKey(get("/commands").param("image", IMAGE)))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.command_id").value(1))
                .andExpect(jsonPath("$.command_name").value("dcm2niix"))
                .andExpect(jsonPath("$.image").value(IMAGE))
                .andExpect(jsonPath("$.wrapper_id").value(12))
                .andExpect(jsonPath("$.wrapper_name").value("dcm2niix-scan"));
    }

    @Test
    void withoutAnImageTheLookupGetsNullAndUsesTheConfiguredImage() throws Exception {
        when(lookup.find(null)).thenReturn(new CommandInfo(1, "dcm2niix", IMAGE, 12, "dcm2niix-scan"));

        mvc.perform(withKey(get("/commands"))).andExpect(status().isOk()).andExpect(jsonPath("$.image").value(IMAGE));
    }

    @Test
    void aMissIsA404ProblemCarryingTheDiagnosis() throws Exception {
        when(lookup.find(any())).thenThrow(ProblemException.notFound(
                "No commands found for container 'x:1' on this XNAT. The command registry is readable and empty"));

        mvc.perform(withKey(get("/commands").param("image", "x:1")))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(Problems.PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("not_found"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("readable and empty")));
    }

    @Test
    void anXnatFailureIsA502() throws Exception {
        when(lookup.find(any())).thenThrow(TestFailures.rejected("XNAT command fetch failed: HTTP 500 - boom", 500));

        mvc.perform(withKey(get("/commands").param("image", IMAGE)))
                .andExpect(status().isBadGateway())
                .andExpect(jsonPath("$.code").value("xnat_error"))
                .andExpect(jsonPath("$.detail").value("XNAT command fetch failed: HTTP 500 - boom"));
    }

    @Test
    void anImageWithSpacesOrControlCharactersIs422WithoutAnyLookup() throws Exception {
        mvc.perform(withKey(get("/commands").param("image", "bad image")))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[0].field").value("image"));
        mvc.perform(withKey(get("/commands").param("image", "x".repeat(256))))
                .andExpect(status().isUnprocessableEntity());
        mvc.perform(withKey(get("/commands").param("image", "")))
                .andExpect(status().isUnprocessableEntity());
        verifyNoInteractions(lookup);
    }

    @Test
    void withoutTheKeyItIs401AndXnatIsNotAsked() throws Exception {
        mvc.perform(get("/commands")).andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(Problems.PROBLEM_JSON));
        verifyNoInteractions(lookup);
    }
}
