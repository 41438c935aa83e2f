package org.flip.imagingapi.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import org.flip.imagingapi.EmulatorFlowTest;
import org.flip.imagingapi.emulator.DqrGeneration;
import org.flip.imagingapi.emulator.EmulatorState;
import org.flip.imagingapi.emulator.Fault;
import org.flip.imagingapi.emulator.QueuedRequest;
import org.flip.imagingapi.emulator.Seeds;
import org.flip.imagingapi.emulator.XnatOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * {@code DELETE /projects/{id}} against the emulator's real-XNAT behaviours (issue 13 points 2 and 7):
 * XNAT's 200 that keeps a project whose subject holds another project's experiment, and the DQR
 * queue in each of its API generations, absent, or present but unreadable.
 */
class ProjectDeletionFlowTest extends EmulatorFlowTest {

    private static final List<String> DQR_LISTINGS = List.of(XnatOps.DQR_LIST_QUEUE, XnatOps.DQR_QUERY_QUEUE,
            XnatOps.DQR_QUEUE_ALL_PAGED);

    @AfterEach
    void newestDqr() {
        xnat.setDqrGeneration(DqrGeneration.IMPORT_QUEUE);
    }

    private ResponseEntity<JsonNode> delete(String project) {
        return rest.exchange("/projects/" + project, HttpMethod.DELETE, new HttpEntity<>(keyHeaders()),
                JsonNode.class);
    }

    private static String newProject(String prefix) {
        String id = prefix + "_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        xnat.state().addProject(id, "hub-" + id, "Deletion " + id, "to delete");
        return id;
    }

    private static int dqrListings() {
        return DQR_LISTINGS.stream().mapToInt(xnat::calls).sum();
    }

    @Test
    void a200ThatKeepsTheProjectIs409ProjectNotDeletedNamingTheSubjectThatHoldsIt() {
        String project = newProject("DEL_HELD");
        String other = newProject("DEL_HOLDER");
        Seeds.SharedSubject shared = xnat.seedSubjectWithAnotherProjectsExperiment(project, other);

        ResponseEntity<JsonNode> response = delete(project);

        assertThat(response.getStatusCode().value()).isEqualTo(409);
        assertThat(response.getBody().get("code").asText()).isEqualTo("project_not_deleted");
        assertThat(response.getBody().get("detail").asText()).contains("XNAT kept project '" + project + "'",
                shared.subject().label(), "other projects", "send the delete again");
        assertThat(xnat.calls(XnatOps.DELETE_PROJECT)).isEqualTo(1);
        // What XNAT did: the project's own experiment is gone, the project and the shared subject are not.
        EmulatorState state = xnat.state();
        assertThat(state.project(project)).isPresent();
        assertThat(state.experiment(shared.ownExperiment().id())).isEmpty();
        assertThat(state.experiment(shared.otherProjectsExperiment().id())).isPresent();

        // The same request again: still the truth (409), never a 200 or a 404.
        ResponseEntity<JsonNode> again = delete(project);
        assertThat(again.getStatusCode().value()).isEqualTo(409);
        assertThat(again.getBody().get("code").asText()).isEqualTo("project_not_deleted");
    }

    @ParameterizedTest(name = "DQR {0}")
    @EnumSource(value = DqrGeneration.class, names = {"IMPORT_QUEUE", "QUERY_QUEUE", "QUERY_QUEUE_ALL"})
    void theProjectsQueuedImportsAreCancelledThroughTheDqrApiThisXnatHas(DqrGeneration generation) {
        xnat.setDqrGeneration(generation);
        String project = newProject("DEL_DQR");
        EmulatorState state = xnat.state();
        state.queueDqrRequest(org.flip.imagingapi.emulator.XnatEmulator.SERVICE_USER, project, "1.2.3.1");
        state.queueDqrRequest("dqr-operator", project, "1.2.3.2");
        QueuedRequest others = state.queueDqrRequest("dqr-operator", "SOME_OTHER_PROJECT", "1.2.3.3");

        ResponseEntity<JsonNode> response = delete(project);

        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(200);
        assertThat(state.project(project)).isEmpty();
        assertThat(state.queuedRequests()).noneMatch(r -> r.xnatProject().equals(project));
        assertThat(state.queuedRequest(others.id())).isPresent();
        String bulkDelete = switch (generation) {
            case IMPORT_QUEUE -> XnatOps.DQR_DELETE_QUEUED;
            case QUERY_QUEUE -> XnatOps.DQR_QUERY_QUEUE_DELETE;
            default -> XnatOps.DQR_QUEUE_DELETE_REQUESTS;
        };
        assertThat(xnat.calls(bulkDelete)).as("calls %s", xnat.callCounts()).isEqualTo(1);
        // At most one probe per generation before the one that answers, one page here.
        assertThat(dqrListings()).as("calls %s", xnat.callCounts()).isBetween(1, 3);
        state.deleteQueuedRequest(others.id());

        // The generation found is asked first next time: one probe.
        xnat.resetCounters();
        assertThat(delete(newProject("DEL_DQR_AGAIN")).getStatusCode().value()).isEqualTo(200);
        assertThat(dqrListings()).as("calls %s", xnat.callCounts()).isEqualTo(1);
    }

    @Test
    void withoutDqrEveryGenerationsPathIsAskedOnceAndTheProjectIsDeleted() {
        xnat.setDqrGeneration(DqrGeneration.NONE);
        String project = newProject("DEL_NODQR");

        ResponseEntity<JsonNode> response = delete(project);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(xnat.state().project(project)).isEmpty();
        for (String listing : DQR_LISTINGS) {
            assertThat(xnat.calls(listing)).as(listing).isEqualTo(1);
        }
    }

    @Test
    void aDqrQueueTheServiceAccountMayNotReadIs502AndNothingIsDeleted() {
        String project = newProject("DEL_DQR403");
        xnat.state().queueDqrRequest("dqr-operator", project, "1.2.3.9");
        // DQR answers 403 (empty) to an account without all-data access asking for every user's requests.
        xnat.inject(XnatOps.DQR_LIST_QUEUE, Fault.status(403, ""));

        ResponseEntity<JsonNode> response = delete(project);

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(response.getBody().get("code").asText()).isEqualTo("xnat_error");
        assertThat(response.getBody().get("detail").asText()).contains("DQR", "cannot be cancelled",
                "project was not deleted", "HTTP 403", "site administrator");
        assertThat(xnat.state().project(project)).isPresent();
        assertThat(xnat.calls(XnatOps.DELETE_PROJECT)).isZero();
        assertThat(xnat.calls(XnatOps.DQR_QUERY_QUEUE)).as("DQR answered: no other generation is asked").isZero();
    }

    @Test
    void aMiddleGenerationQueueAnswering500Is502AndNothingIsDeleted() {
        xnat.setDqrGeneration(DqrGeneration.QUERY_QUEUE);
        String project = newProject("DEL_DQR500");
        xnat.inject(XnatOps.DQR_QUERY_QUEUE, Fault.status(500, "There was an error in the request : null"));

        ResponseEntity<JsonNode> response = delete(project);

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(response.getBody().get("detail").asText()).contains("/xapi/dqr/query/queue", "HTTP 500",
                "project was not deleted");
        assertThat(xnat.state().project(project)).isPresent();
        assertThat(xnat.calls(XnatOps.DELETE_PROJECT)).isZero();
    }
}
