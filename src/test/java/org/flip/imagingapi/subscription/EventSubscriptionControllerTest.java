package org.flip.imagingapi.subscription;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import org.flip.imagingapi.config.InboundAuthProperties;
import org.flip.imagingapi.model.Subscription;
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

/** Contract §3 "Event subscriptions and commands": the per-project subscription endpoints. */
@WebMvcTest(EventSubscriptionController.class)
@Import(Problems.class)
@EnableConfigurationProperties(InboundAuthProperties.class)
@TestPropertySource(properties = "trust.internal-service.key=test-trust-key-5f0c2a9e4b7d1e3c8a6f")
class EventSubscriptionControllerTest {

    static final String BASE = "/projects/P1/event-subscriptions";
    static final Subscription SUBSCRIPTION = new Subscription(7L, "imaging-api dcm2niix P1", true, "P1",
            "org.nrg.containers.services.CommandActionProvider:12", org.flip.imagingapi.xnat.XnatEventSubscriptions.EVENT_TYPE, "CREATED",
            org.flip.imagingapi.xnat.XnatEventSubscriptions.PAYLOAD_FILTER);

    @Autowired
    MockMvc mvc;

    @MockitoBean
    EventSubscriptions subscriptions;

    static MockHttpServletRequestBuilder withKey(MockHttpServletRequestBuilder request) {
        return request.header("X-Trust-Internal-Service-Key", "test-trust-key-5f0c2a9e4b7d1e3c8a6f");
    }

    static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
        return withKey(request).contentType(MediaType.APPLICATION_JSON).content(body);
    }

    @Test
    void theListingUsesTheContractsFieldNames() throws Exception {
        when(subscriptions.list("P1")).thenReturn(List.of(SUBSCRIPTION));

        mvc.perform(withKey(get(BASE)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].id").value(7))
                .andExpect(jsonPath("$[0].name").value("imaging-api dcm2niix P1"))
                .andExpect(jsonPath("$[0].active").value(true))
                .andExpect(jsonPath("$[0].project_id").value("P1"))
                .andExpect(jsonPath("$[0].action_key").value("org.nrg.containers.services.CommandActionProvider:12"))
                .andExpect(jsonPath("$[0].event_type").value(org.flip.imagingapi.xnat.XnatEventSubscriptions.EVENT_TYPE))
                .andExpect(jsonPath("$[0].status").value("CREATED"))
                .andExpect(jsonPath("$[0].payload_filter").value(org.flip.imagingapi.xnat.XnatEventSubscriptions.PAYLOAD_FILTER));
    }

    @Test
    void listingAnUnknownProjectIs404() throws Exception {
        when(subscriptions.list("P1")).thenThrow(ProblemException.notFound("no such project"));

        mvc.perform(withKey(get(BASE))).andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(Problems.PROBLEM_JSON));
    }

    @Test
    void creatingANewSubscriptionIs201() throws Exception {
        when(subscriptions.ensure("P1", "img:1", false)).thenReturn(new EnsuredSubscription(SUBSCRIPTION, true));

        mvc.perform(json(post(BASE), "{\"container\":\"img:1\",\"active\":false}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.id").value(7));
    }

    @Test
    void findingTheExistingSubscriptionIs200() throws Exception {
        when(subscriptions.ensure("P1", null, true)).thenReturn(new EnsuredSubscription(SUBSCRIPTION, false));

        mvc.perform(json(post(BASE), "{}")).andExpect(status().isOk()).andExpect(jsonPath("$.id").value(7));
    }

    @Test
    void withoutABodyTheConfiguredImageAndActiveTrueApply() throws Exception {
        when(subscriptions.ensure("P1", null, true)).thenReturn(new EnsuredSubscription(SUBSCRIPTION, true));

        mvc.perform(withKey(post(BASE))).andExpect(status().isCreated());
        verify(subscriptions).ensure(eq("P1"), isNull(), eq(true));
    }

    @Test
    void xnatRefusingTheSubscriptionIs502WithItsDetail() throws Exception {
        when(subscriptions.ensure(anyString(), any(), anyBoolean())).thenThrow(TestFailures.rejected(
                "XNAT refused the subscription (424): the dcm2niix wrapper 'dcm2niix-scan' is not enabled", 424));

        mvc.perform(json(post(BASE), "{}"))
                .andExpect(status().isBadGateway())
                .andExpect(jsonPath("$.code").value("xnat_error"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("XNAT refused the subscription")));
    }

    @Test
    void aMissingCommandIs404() throws Exception {
        when(subscriptions.ensure(anyString(), any(), anyBoolean()))
                .thenThrow(ProblemException.notFound("No commands found for container 'x:1'"));

        mvc.perform(json(post(BASE), "{\"container\":\"x:1\"}")).andExpect(status().isNotFound());
    }

    @Test
    void aBadBodyIs400AndABadContainerIs422AndNeitherReachesXnat() throws Exception {
        mvc.perform(json(post(BASE), "{\"active\":")).andExpect(status().isBadRequest());
        mvc.perform(json(post(BASE), "{\"active\":\"maybe\"}")).andExpect(status().isBadRequest());
        mvc.perform(json(post(BASE), "{\"container\":\"has space\"}"))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[0].field").value("container"));
        verifyNoInteractions(subscriptions);
    }

    @Test
    void aBadProjectIdAndABadBodyAreReportedTogetherUnderTheirOwnNames() throws Exception {
        // MVC's method validation checks the path and the @Valid body in one pass: one 422 naming both
        mvc.perform(json(post("/projects/bad.id/event-subscriptions"), "{\"container\":\"has space\"}"))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors.length()").value(2))
                .andExpect(jsonPath("$.errors[0].field").value("container"))
                .andExpect(jsonPath("$.errors[1].field").value("projectId"));
        verifyNoInteractions(subscriptions);
    }

    @Test
    void anInvalidProjectIdIs422BeforeXnat() throws Exception {
        mvc.perform(withKey(get("/projects/bad.id/event-subscriptions"))).andExpect(status().isUnprocessableEntity());
        mvc.perform(json(post("/projects/bad%20id/event-subscriptions"), "{}"))
                .andExpect(status().isUnprocessableEntity());
        mvc.perform(withKey(post("/projects/" + "p".repeat(65) + "/event-subscriptions/7/activate")))
                .andExpect(status().isUnprocessableEntity());
        verifyNoInteractions(subscriptions);
    }

    @Test
    void aSubscriptionIdThatIsNotAPositiveIntegerIs422BeforeXnat() throws Exception {
        for (String id : List.of("0", "-1", "abc", "1.5", "9999999999999999999")) {
            mvc.perform(withKey(post(BASE + "/" + id + "/activate"))).andExpect(status().isUnprocessableEntity());
            mvc.perform(withKey(delete(BASE + "/" + id))).andExpect(status().isUnprocessableEntity());
        }
        verifyNoInteractions(subscriptions);
    }

    @Test
    void activatingAnswersTheSubscription() throws Exception {
        when(subscriptions.activate("P1", 7)).thenReturn(SUBSCRIPTION);

        mvc.perform(withKey(post(BASE + "/7/activate"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.active").value(true));
    }

    @Test
    void deactivatingAnswersTheSubscription() throws Exception {
        when(subscriptions.deactivate("P1", 7)).thenReturn(SUBSCRIPTION.withActive(false));

        mvc.perform(withKey(post(BASE + "/7/deactivate"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.active").value(false));
    }

    @Test
    void activatingOrDeactivatingAnUnknownSubscriptionIs404() throws Exception {
        when(subscriptions.activate(anyString(), anyLong())).thenThrow(ProblemException.notFound("none"));
        when(subscriptions.deactivate(anyString(), anyLong())).thenThrow(ProblemException.notFound("none"));

        mvc.perform(withKey(post(BASE + "/8/activate"))).andExpect(status().isNotFound());
        mvc.perform(withKey(post(BASE + "/8/deactivate"))).andExpect(status().isNotFound());
    }

    @Test
    void deletingIs204AndAnUnknownSubscriptionIs404() throws Exception {
        doThrow(ProblemException.notFound("none")).when(subscriptions).delete("P1", 8);

        mvc.perform(withKey(delete(BASE + "/7"))).andExpect(status().isNoContent());
        verify(subscriptions).delete("P1", 7);
        mvc.perform(withKey(delete(BASE + "/8"))).andExpect(status().isNotFound());
    }

    @Test
    void xnatUnreachableIs503AndAnUnexpectedFailureIs500WithoutInternals() throws Exception {
        when(subscriptions.list("P1")).thenThrow(new ProblemException(org.springframework.http.HttpStatus
                .SERVICE_UNAVAILABLE, "xnat_unavailable", "XNAT is unreachable"));
        mvc.perform(withKey(get(BASE))).andExpect(status().isServiceUnavailable());

        when(subscriptions.activate("P1", 7)).thenThrow(new IllegalStateException("secret internals"));
        mvc.perform(withKey(post(BASE + "/7/activate"))).andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.detail").value("Internal server error"));
    }

    @Test
    void withoutTheKeyEveryRouteIs401() throws Exception {
        mvc.perform(get(BASE)).andExpect(status().isUnauthorized());
        mvc.perform(post(BASE)).andExpect(status().isUnauthorized());
        mvc.perform(delete(BASE + "/7")).andExpect(status().isUnauthorized());
        verifyNoInteractions(subscriptions);
    }
}
