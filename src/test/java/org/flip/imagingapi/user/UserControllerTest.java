package org.flip.imagingapi.user;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Optional;
import org.flip.imagingapi.config.InboundAuthProperties;
import org.flip.imagingapi.model.User;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flip.imagingapi.web.CallerDeadline;
import org.flip.imagingapi.web.ProblemAdvice;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.web.Problems;
import org.flip.imagingapi.xnat.NewAccount;
import org.flip.imagingapi.xnat.Creation;
import org.flip.imagingapi.xnat.TestFailures;
import org.flip.imagingapi.xnat.XnatFailure;
import org.flip.imagingapi.xnat.XnatUsers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Contract §3 "Users": every status of every user endpoint; reference §14.3, adapted. */
@WebMvcTest(controllers = UserController.class, properties = {
        "trust.internal-service.key=test-trust-key-5f0c2a9e4b7d1e3c8a6f",
        "xnat.service-user=imaging-api", "xnat.service-password=secret"})
@Import({UserAccounts.class, PrivilegedAccounts.class, ProblemAdvice.class, Problems.class, CallerDeadline.class, SimpleMeterRegistry.class})
@EnableConfigurationProperties(InboundAuthProperties.class)
class UserControllerTest {

    static final User JOHN = new User(2L, "johndoe", "john.doe@hospital.nhs.uk", "John", "Doe", true, true, true,
            1700000000000L, 1700000500000L);
    static final String HUB_ID = "6f1c2a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    XnatUsers xnat;

    @MockitoBean
    UserProvisioning provisioning;

    static MockHttpServletRequestBuilder keyed(MockHttpServletRequestBuilder request) {
        return request.header("X-Trust-Internal-Service-Key", "test-trust-key-5f0c2a9e4b7d1e3c8a6f");
    }

    static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
        return keyed(request).contentType(MediaType.APPLICATION_JSON).content(body);
    }

    static XnatFailure xnatDown() {
        return TestFailures.rejected("XNAT user listing failed: HTTP 500 - boom", 500);
    }

    // GET /users

    @Test
    void listingAnswersEveryAccountWithTheContractFieldNames() throws Exception {
        User admin = new User(1L, "admin", "admin@localhost", null, null, true, false, false, null, null);
        when(xnat.profiles()).thenReturn(List.of(JOHN, admin));

        mvc.perform(keyed(get("/users")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(2)))
                .andExpect(jsonPath("$[0].id").value(2))
                .andExpect(jsonPath("$[0].username").value("johndoe"))
                .andExpect(jsonPath("$[0].email").value("john.doe@hospital.nhs.uk"))
                .andExpect(jsonPath("$[0].firstName").value("John"))
                .andExpect(jsonPath("$[0].lastName").value("Doe"))
                .andExpect(jsonPath("$[0].enabled").value(true))
                .andExpect(jsonPath("$[0].verified").value(true))
                .andExpect(jsonPath("$[0].secured").value(true))
                .andExpect(jsonPath("$[0].lastModified").value(1700000000000L))
                .andExpect(jsonPath("$[0].lastSuccessfulLogin").value(1700000500000L))
                .andExpect(jsonPath("$[1].email").value("admin@localhost"))
                .andExpect(jsonPath("$[1].lastModified").value(nullValue()))
                .andExpect(jsonPath("$[1].lastSuccessfulLogin").value(nullValue()));
    }

    @Test
    void listingWithoutTheKeyIsUnauthorizedAndNeverReachesXnat() throws Exception {
        mvc.perform(get("/users")).andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        verifyNoInteractions(xnat);
    }

    @Test
    void listingWhenXnatFailsIsABadGateway() throws Exception {
        when(xnat.profiles()).thenThrow(xnatDown());

        mvc.perform(keyed(get("/users"))).andExpect(status().isBadGateway())
                .andExpect(jsonPath("$.code").value("xnat_error"))
                .andExpect(jsonPath("$.detail").value(containsString("user listing")));
    }

    // GET /users/{username}

    @Test
    void oneAccountByUsername() throws Exception {
        when(xnat.profile("johndoe")).thenReturn(Optional.of(JOHN));

        mvc.perform(keyed(get("/users/johndoe"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.username").value("johndoe"));
    }

    @Test
    void anUnknownUsernameIsNotFound() throws Exception {
        when(xnat.profile("ghost")).thenReturn(Optional.empty());

        mvc.perform(keyed(get("/users/ghost"))).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("not_found"));
    }

    @Test
    void aUsernameBreakingXnatsRuleIsUnprocessableWithoutAnXnatCall() throws Exception {
        mvc.perform(keyed(get("/users/1abc"))).andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[0].field").value("username"));
        verifyNoInteractions(xnat);
    }

    // POST /users

    static final String NEW_USER = """
            {"username":"johndoe","password":"S3cret!S3cret!","email":"john.doe@hospital.nhs.uk",
             "firstName":"John","lastName":"Doe"}""";

    @Test
    void creatingAnAccountAnswersCreatedWithItsLocation() throws Exception {
        when(xnat.create(any())).thenReturn(Creation.made(JOHN));

        mvc.perform(json(post("/users"), NEW_USER)).andExpect(status().isCreated())
                .andExpect(header().string("Location", "/users/johndoe"))
                .andExpect(jsonPath("$.username").value("johndoe"));
        verify(xnat).create(new NewAccount("johndoe", "S3cret!S3cret!", "john.doe@hospital.nhs.uk", "John", "Doe",
                true, true));
    }

    @Test
    void creatingATakenUsernameIsAConflict() throws Exception {
        when(xnat.create(any())).thenThrow(ProblemException.conflict("The XNAT username 'johndoe' is already taken."));

        mvc.perform(json(post("/users"), NEW_USER)).andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("conflict"));
    }

    @Test
    void creatingWithABadUsernameEmailOrNameIsUnprocessableAndEchoesNothing() throws Exception {
        mvc.perform(json(post("/users"), """
                        {"username":"_bad","password":"p","email":"not-an-email",
                         "firstName":"<script>","lastName":"a/b"}"""))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors", hasSize(4)))
                .andExpect(content().string(not(containsString("not-an-email"))))
                .andExpect(content().string(not(containsString("<script>"))));
        verifyNoInteractions(xnat);
    }

    @Test
    void creatingWithUnreadableJsonIsABadRequest() throws Exception {
        mvc.perform(json(post("/users"), "{\"username\":")).andExpect(status().isBadRequest());
    }

    @Test
    void creatingWhenXnatFailsIsABadGateway() throws Exception {
        when(xnat.create(any())).thenThrow(TestFailures.rejected("XNAT user creation failed: HTTP 500 - x", 500));

        mvc.perform(json(post("/users"), NEW_USER)).andExpect(status().isBadGateway());
    }

    // PUT /users

    @Test
    void updatingFindsTheAccountByEmailIgnoringCase() throws Exception {
        when(xnat.profiles()).thenReturn(List.of(JOHN));
        User disabled = new User(2L, "johndoe", JOHN.email(), "John", "Doe", false, true, true, 1L, 1L);
        when(xnat.setEnabled("johndoe", false)).thenReturn(Optional.of(disabled));

        mvc.perform(json(put("/users"), "{\"email\":\"John.Doe@Hospital.nhs.uk\",\"enabled\":false}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.enabled").value(false));
    }

    @Test
    void updatingAnUnchangedAccountAnswersItsProfile() throws Exception {
        when(xnat.profiles()).thenReturn(List.of(JOHN));
        when(xnat.setEnabled("johndoe", true)).thenReturn(Optional.of(JOHN));

        mvc.perform(json(put("/users"), "{\"email\":\"john.doe@hospital.nhs.uk\",\"enabled\":true}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.username").value("johndoe"));
    }

    @Test
    void updatingAnUnknownEmailIsNotFoundAndDoesNotEchoIt() throws Exception {
        when(xnat.profiles()).thenReturn(List.of(JOHN));

        mvc.perform(json(put("/users"), "{\"email\":\"nobody@hospital.nhs.uk\",\"enabled\":true}"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("User not found by email."));
        verify(xnat, never()).setEnabled(anyString(), anyBoolean());
    }

    @Test
    void updatingAnAccountXnatNoLongerKnowsIsNotFound() throws Exception {
        when(xnat.profiles()).thenReturn(List.of(JOHN));
        when(xnat.setEnabled(anyString(), anyBoolean()))
                .thenThrow(ProblemException.notFound("User 'johndoe' not found."));

        mvc.perform(json(put("/users"), "{\"email\":\"john.doe@hospital.nhs.uk\",\"enabled\":true}"))
                .andExpect(status().isNotFound());
    }

    @Test
    void updatingWhenXnatFailsIsABadGateway() throws Exception {
        when(xnat.profiles()).thenReturn(List.of(JOHN));
        when(xnat.setEnabled(anyString(), anyBoolean()))
                .thenThrow(TestFailures.rejected("XNAT user update failed: HTTP 500 - x", 500));

        mvc.perform(json(put("/users"), "{\"email\":\"john.doe@hospital.nhs.uk\",\"enabled\":true}"))
                .andExpect(status().isBadGateway());
    }

    @Test
    void updatingWithoutEnabledOrWithABadEmailIsUnprocessable() throws Exception {
        mvc.perform(json(put("/users"), "{\"email\":\"nope\"}"))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors", hasSize(2)));
        verifyNoInteractions(xnat);
    }

    // PUT /users/add-to-project/{username}/{projectId}

    @Test
    void addingToAProjectUsesMembersByDefault() throws Exception {
        when(xnat.profile("johndoe")).thenReturn(Optional.of(JOHN));
        when(xnat.addToGroup(anyString(), anyString(), anyString())).thenReturn(true);

        mvc.perform(keyed(put("/users/add-to-project/johndoe/PROJ1"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.username").value("johndoe"));
        verify(xnat).addToGroup("PROJ1", "Members", "johndoe");
    }

    @Test
    void addingToAProjectWithAnotherRoleUsesThatGroup() throws Exception {
        when(xnat.profile("johndoe")).thenReturn(Optional.of(JOHN));
        when(xnat.addToGroup(anyString(), anyString(), anyString())).thenReturn(true);

        mvc.perform(keyed(put("/users/add-to-project/johndoe/PROJ1").param("role", "Owners")))
                .andExpect(status().isOk());
        verify(xnat).addToGroup("PROJ1", "Owners", "johndoe");
    }

    @Test
    void anUnknownRoleIsUnprocessableWithoutAnXnatCall() throws Exception {
        mvc.perform(keyed(put("/users/add-to-project/johndoe/PROJ1").param("role", "Admins")))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[0].field").value("role"));
        verifyNoInteractions(xnat);
    }

    @Test
    void addingAnUnknownUserIsNotFound() throws Exception {
        when(xnat.profile("ghost")).thenReturn(Optional.empty());

        mvc.perform(keyed(put("/users/add-to-project/ghost/PROJ1"))).andExpect(status().isNotFound());
        verify(xnat, never()).addToGroup(anyString(), anyString(), anyString());
    }

    @Test
    void addingToAnUnknownProjectIsNotFound() throws Exception {
        when(xnat.profile("johndoe")).thenReturn(Optional.of(JOHN));
        org.mockito.Mockito.doThrow(ProblemException.notFound("Project 'NOPE' not found."))
                .when(xnat).addToGroup("NOPE", "Members", "johndoe");

        mvc.perform(keyed(put("/users/add-to-project/johndoe/NOPE"))).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("Project 'NOPE' not found."));
    }

    @Test
    void addingToAProjectWhenXnatFailsIsABadGateway() throws Exception {
        when(xnat.profile("johndoe")).thenReturn(Optional.of(JOHN));
        org.mockito.Mockito.doThrow(TestFailures.rejected("XNAT project membership change failed: HTTP 403", 403))
                .when(xnat).addToGroup(anyString(), anyString(), anyString());

        mvc.perform(keyed(put("/users/add-to-project/johndoe/PROJ1"))).andExpect(status().isBadGateway());
    }

    @Test
    void addingToAProjectWithABadIdIsUnprocessable() throws Exception {
        mvc.perform(keyed(put("/users/add-to-project/johndoe/P%20ROJ"))).andExpect(status().isUnprocessableEntity());
        verifyNoInteractions(xnat);
    }

    // POST /projects/{projectId}/users

    @Test
    void provisioningAnswersCreatedAndAddedUsers() throws Exception {
        when(provisioning.provision(eq("PROJ1"), anyList())).thenReturn(new ProvisionedUsers(
                List.of(new CreatedUser("johndoe", JOHN.email(), "ZW52ZWxvcGU=")), List.of(JOHN), List.of()));

        mvc.perform(json(post("/projects/PROJ1/users"),
                        "{\"users\":[{\"id\":\"" + HUB_ID + "\",\"email\":\"john.doe@hospital.nhs.uk\"}]}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.created_users[0].username").value("johndoe"))
                .andExpect(jsonPath("$.created_users[0].email").value("john.doe@hospital.nhs.uk"))
                .andExpect(jsonPath("$.created_users[0].encrypted_setup_path").value("ZW52ZWxvcGU="))
                .andExpect(jsonPath("$.added_users[0].username").value("johndoe"));
        verify(provisioning).provision("PROJ1", List.of(new CentralHubUser(HUB_ID, "john.doe@hospital.nhs.uk", false)));
    }

    @Test
    void provisioningWithoutUsersIsAnEmptySuccess() throws Exception {
        when(provisioning.provision("PROJ1", List.of())).thenReturn(ProvisionedUsers.none());

        mvc.perform(json(post("/projects/PROJ1/users"), "{}")).andExpect(status().isOk())
                .andExpect(jsonPath("$.created_users", hasSize(0)))
                .andExpect(jsonPath("$.added_users", hasSize(0)));
    }

    @Test
    void provisioningWithABadHubUserIsUnprocessable() throws Exception {
        mvc.perform(json(post("/projects/PROJ1/users"),
                        "{\"users\":[{\"id\":\"not-a-uuid\",\"email\":\"nope\",\"is_disabled\":false}]}"))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors", hasSize(2)))
                .andExpect(content().string(not(containsString("not-a-uuid"))));
        verifyNoInteractions(provisioning);
    }

    @Test
    void provisioningIntoAnUnknownProjectIsNotFound() throws Exception {
        when(provisioning.provision(eq("NOPE"), anyList())).thenThrow(ProblemException.notFound("Project 'NOPE' not found."));

        mvc.perform(json(post("/projects/NOPE/users"), "{\"users\":[]}")).andExpect(status().isNotFound());
    }

    @Test
    void provisioningIntoABadProjectIdIsUnprocessable() throws Exception {
        mvc.perform(json(post("/projects/bad.id/users"), "{\"users\":[]}")).andExpect(status().isUnprocessableEntity());
        verifyNoInteractions(provisioning);
    }

    @Test
    void provisioningWhenXnatFailsIsABadGateway() throws Exception {
        when(provisioning.provision(eq("PROJ1"), anyList())).thenThrow(xnatDown());

        mvc.perform(json(post("/projects/PROJ1/users"), "{\"users\":[]}")).andExpect(status().isBadGateway());
    }

    @Test
    void provisioningWithoutTheKeyIsUnauthorized() throws Exception {
        mvc.perform(post("/projects/PROJ1/users").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isUnauthorized());
        verifyNoInteractions(provisioning);
    }
}
