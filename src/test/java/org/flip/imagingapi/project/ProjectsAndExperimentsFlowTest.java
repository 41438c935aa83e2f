package org.flip.imagingapi.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.flip.imagingapi.OpenApiResponseValidation;
import org.flip.imagingapi.emulator.EmulatorState;
import org.flip.imagingapi.emulator.QueuedRequest;
import org.flip.imagingapi.emulator.XnatEmulator;
import org.flip.imagingapi.emulator.XnatOps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole app against the stateful XNAT emulator holding 10,000 projects: every endpoint of
 * issue 3 works, asserted on the emulator's state, in a constant number of XNAT calls whose answers
 * do not grow with the number of projects (the reference listed every project on every call).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(OpenApiResponseValidation.class)
class ProjectsAndExperimentsFlowTest {

    static final String KEY = "test-trust-key-5f0c2a9e4b7d1e3c8a6f";
    static final String HUB_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    static final XnatEmulator xnat = XnatEmulator.start();

    static {
        xnat.seedBulk(10_000, 1, 2, 0);
        EmulatorState state = xnat.state();
        state.addProject("FLOW_HUB", HUB_ID, "Hub project", "made by the hub");
        state.addProject("FLOW_X", "FLOW_X", "Experiments", null);
        state.addProject("FLOW_Y", "FLOW_Y", "Another", null);
    }

    @Autowired
    TestRestTemplate rest;

    @DynamicPropertySource
    static void xnatProperties(DynamicPropertyRegistry registry) {
        registry.add("xnat.url", xnat::baseUrl);
        registry.add("xnat.service-user", () -> XnatEmulator.SERVICE_USER);
        registry.add("xnat.service-password", () -> XnatEmulator.SERVICE_PASSWORD);
        registry.add("trust.internal-service.key", () -> KEY);
    }

    @AfterAll
    static void stop() {
        xnat.close();
    }

    @BeforeEach
    void warmSessionAndResetCounters() {
        // One call up front so that the service account's login is not counted below.
        get("/projects/BULK_P000001", JsonNode.class);
        xnat.resetCounters();
    }

    private static HttpHeaders headers() {
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-Trust-Internal-Service-Key", KEY);
        headers.setContentType(MediaType.APPLICATION_JSON);
        return headers;
    }

    private <T> ResponseEntity<T> get(String path, Class<T> type) {
        return rest.exchange(path, HttpMethod.GET, new HttpEntity<>(headers()), type);
    }

    private <T> ResponseEntity<T> send(HttpMethod method, String path, String body, Class<T> type) {
        return rest.exchange(path, method, new HttpEntity<>(body, headers()), type);
    }

    private static int xnatCalls() {
        return xnat.totalCalls() - xnat.calls(XnatOps.LOGIN);
    }

    @Test
    void findingOneProjectAmongTenThousandIsOneSmallXnatCall() {
        ResponseEntity<JsonNode> response = get("/projects/BULK_P005000", JsonNode.class);
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody().get("ID").asText()).isEqualTo("BULK_P005000");
        assertThat(response.getBody().get("secondary_ID").asText()).isEqualTo("bulk-5000");
        assertThat(response.getBody().get("URI").asText()).isEqualTo("/data/projects/BULK_P005000");
        assertThat(xnatCalls()).isEqualTo(1);
        assertThat(xnat.bytesSent(XnatOps.LIST_PROJECTS)).isLessThan(2_000);
    }

    @Test
    void anUnknownProjectIs404AfterOneXnatCall() {
        assertThat(get("/projects/NOPE", JsonNode.class).getStatusCode().value()).isEqualTo(404);
        assertThat(xnatCalls()).isEqualTo(1);
    }

    @Test
    void findingTheHubsProjectBySecondaryIdIsOneXnatCall() {
        ResponseEntity<JsonNode> response = get("/projects/central-hub/" + HUB_ID, JsonNode.class);
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody().get("ID").asText()).isEqualTo("FLOW_HUB");
        assertThat(response.getBody().get("description").asText()).isEqualTo("made by the hub");
        assertThat(xnatCalls()).isEqualTo(1);
        assertThat(xnat.bytesSent(XnatOps.LIST_PROJECTS)).isLessThan(2_000);
        assertThat(get("/projects/central-hub/00000000-0000-4000-8000-000000000000", JsonNode.class)
                .getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void subjectsAreOneXnatCallAndAnUnknownProjectIs404() {
        ResponseEntity<JsonNode> response = get("/projects/BULK_P000042/subjects", JsonNode.class);
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).hasSize(1);
        assertThat(response.getBody().get(0).get("label").asText()).isEqualTo("S0001");
        assertThat(response.getBody().get(0).get("project").asText()).isEqualTo("BULK_P000042");
        assertThat(xnatCalls()).isEqualTo(1);

        xnat.resetCounters();
        assertThat(get("/projects/NOPE/subjects", JsonNode.class).getStatusCode().value()).isEqualTo(404);
        assertThat(xnatCalls()).isEqualTo(1);
    }

    @Test
    void experimentsAreAtMostTwoXnatCallsAndDxSessionsShowUp() {
        EmulatorState state = xnat.state();
        String subject = state.addSubject("FLOW_X", "CHEST1").id();
        state.addExperiment("FLOW_X", subject, "ACC_DX1", "xnat:dxSessionData", "2024-02-01");
        state.addExperiment("FLOW_X", subject, "ACC_MR1", "xnat:mrSessionData", "2024-02-02");
        xnat.resetCounters();

        ResponseEntity<JsonNode> response = get("/projects/FLOW_X/experiments", JsonNode.class);
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).extracting(node -> node.get("label").asText())
                .containsExactlyInAnyOrder("ACC_DX1", "ACC_MR1");
        assertThat(response.getBody()).extracting(node -> node.get("xsiType").asText()).contains("xnat:dxSessionData");
        assertThat(xnatCalls()).isLessThanOrEqualTo(2);
        assertThat(xnat.calls(XnatOps.LIST_PROJECT_EXPERIMENTS)).isZero();

        xnat.resetCounters();
        assertThat(get("/projects/NOPE/experiments", JsonNode.class).getStatusCode().value()).isEqualTo(404);
        assertThat(xnatCalls()).isLessThanOrEqualTo(2);
    }

    @Test
    void oneExperimentIsOneXnatCallAndAnotherProjectsExperimentIs404() {
        EmulatorState state = xnat.state();
        String subject = state.addSubject("FLOW_Y", "SUBJ_Y").id();
        String experimentId = state.addExperiment("FLOW_Y", subject, "ACC_Y1", "xnat:ctSessionData", "2024-03-01").id();
        xnat.resetCounters();

        for (String path : List.of("/projects/FLOW_Y/experiments/" + experimentId, "/projects/FLOW_Y/experiment/ACC_Y1")) {
            ResponseEntity<JsonNode> response = get(path, JsonNode.class);
            assertThat(response.getStatusCode().value()).as(path).isEqualTo(200);
            JsonNode fields = response.getBody().path("items").path(0).path("data_fields");
            assertThat(fields.path("ID").asText()).isEqualTo(experimentId);
            assertThat(fields.path("subject_ID").asText()).isEqualTo(subject);
        }
        assertThat(xnatCalls()).isEqualTo(2);

        // XNAT itself finds the ID from any project's URL; we do not.
        xnat.resetCounters();
        assertThat(get("/projects/FLOW_X/experiments/" + experimentId, JsonNode.class).getStatusCode().value())
                .isEqualTo(404);
        assertThat(get("/projects/FLOW_Y/experiments/NO_SUCH_LABEL", JsonNode.class).getStatusCode().value())
                .isEqualTo(404);
        assertThat(xnatCalls()).isEqualTo(2);

        xnat.resetCounters();
        ResponseEntity<JsonNode> subjectResponse = get("/projects/FLOW_Y/experiments/ACC_Y1/subject", JsonNode.class);
        assertThat(subjectResponse.getStatusCode().value()).isEqualTo(200);
        assertThat(subjectResponse.getBody().get("subject_ID").asText()).isEqualTo(subject);
        assertThat(xnatCalls()).isEqualTo(1);
    }

    @Test
    void createMakesTheProjectInXnatAndATakenIdIs409() {
        String body = "{\"id\":\"FLOW_NEW\",\"secondary_id\":\"hub-new\",\"name\":\"Brain & <Spine>\","
                + "\"description\":\"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>&e;\"}";
        ResponseEntity<JsonNode> created = send(HttpMethod.POST, "/projects", body, JsonNode.class);
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        assertThat(created.getHeaders().getLocation()).hasToString("/projects/FLOW_NEW");
        assertThat(created.getBody().get("ID").asText()).isEqualTo("FLOW_NEW");

        var project = xnat.state().project("FLOW_NEW").orElseThrow();
        assertThat(project.secondaryId()).isEqualTo("hub-new");
        assertThat(project.name()).isEqualTo("Brain & <Spine>");
        assertThat(project.description()).isEqualTo("<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>&e;");
        assertThat(xnat.calls(XnatOps.CREATE_PROJECT)).isEqualTo(1);

        int projectsBefore = xnat.state().projectCount();
        xnat.resetCounters();
        ResponseEntity<JsonNode> again = send(HttpMethod.POST, "/projects", body, JsonNode.class);
        assertThat(again.getStatusCode().value()).isEqualTo(409);
        assertThat(xnat.calls(XnatOps.CREATE_PROJECT)).isZero();
        assertThat(xnat.state().projectCount()).isEqualTo(projectsBefore);
    }

    @Test
    void prearchiveCodeIsSetInXnatAndAnUnknownProjectIs404() {
        xnat.state().addProject("FLOW_PRE", "FLOW_PRE", "Prearchive", null);
        ResponseEntity<JsonNode> response = send(HttpMethod.PUT, "/projects/FLOW_PRE/prearchive-code", "{\"code\":5}",
                JsonNode.class);
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody().get("code").asInt()).isEqualTo(5);
        assertThat(xnat.state().project("FLOW_PRE").orElseThrow().prearchiveCode()).isEqualTo(5);

        assertThat(send(HttpMethod.PUT, "/projects/NOPE/prearchive-code", "{\"code\":0}", JsonNode.class)
                .getStatusCode().value()).isEqualTo(404);
        assertThat(send(HttpMethod.PUT, "/projects/FLOW_PRE/prearchive-code", "{\"code\":3}", JsonNode.class)
                .getStatusCode().value()).isEqualTo(422);
        assertThat(xnat.state().project("FLOW_PRE").orElseThrow().prearchiveCode()).isEqualTo(5);
    }

    @Test
    void deleteCancelsOnlyThatProjectsQueuedImportsAndAnswersTheProjectAsItWas() {
        EmulatorState state = xnat.state();
        state.addProject("FLOW_DEL", "hub-del", "To delete", "going away");
        state.queueDqrRequest(XnatEmulator.SERVICE_USER, "FLOW_DEL", "1.2.3.1");
        // More than a page of other projects' requests in between, so the queue must be paged.
        for (int i = 0; i < 150; i++) {
            state.queueDqrRequest(XnatEmulator.SERVICE_USER, i % 2 == 0 ? "FLOW_X" : "BULK_P000007", "1.2.4." + i);
        }
        state.queueDqrRequest("someone-else", "FLOW_DEL", "1.2.3.2");
        int others = (int) state.queuedRequests().stream().filter(r -> !r.xnatProject().equals("FLOW_DEL")).count();

        ResponseEntity<JsonNode> response = send(HttpMethod.DELETE, "/projects/FLOW_DEL", null, JsonNode.class);
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody().get("ID").asText()).isEqualTo("FLOW_DEL");
        assertThat(response.getBody().get("description").asText()).isEqualTo("going away");

        assertThat(state.project("FLOW_DEL")).isEmpty();
        List<QueuedRequest> left = state.queuedRequests();
        assertThat(left).noneMatch(r -> r.xnatProject().equals("FLOW_DEL"));
        assertThat(left).hasSize(others);
        assertThat(xnat.calls(XnatOps.DQR_DELETE_QUEUED)).isEqualTo(1);
        assertThat(xnat.calls(XnatOps.DELETE_PROJECT)).isEqualTo(1);

        xnat.resetCounters();
        assertThat(send(HttpMethod.DELETE, "/projects/FLOW_DEL", null, JsonNode.class).getStatusCode().value())
                .isEqualTo(404);
        assertThat(xnat.calls(XnatOps.DQR_LIST_QUEUE)).isZero();
        assertThat(xnat.calls(XnatOps.DELETE_PROJECT)).isZero();
    }
}
