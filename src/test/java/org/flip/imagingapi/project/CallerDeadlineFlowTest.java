package org.flip.imagingapi.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.flip.imagingapi.EmulatorFlowTest;
import org.flip.imagingapi.emulator.Fault;
import org.flip.imagingapi.emulator.XnatEmulator;
import org.flip.imagingapi.emulator.XnatOps;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/**
 * The caller gives up after 30 s and nobody retries: with XNAT slow at every step, provisioning and
 * deletion answer within the deadline (2 s here, 25 s in production), the work completes in the
 * background, and the replay converges on one project, one subscription and each user once.
 */
@TestPropertySource(properties = "provisioning.deadline=2s")
class CallerDeadlineFlowTest extends EmulatorFlowTest {

    private static final String PATH = "/projects/create-project-from-central-hub-project";
    /** "Answers at all" bound for a 2 s deadline on a loaded CI machine: far below the caller's 30 s. */
    private static final long ANSWER_BOUND_MS = 6_000;

    private static Map<String, Object> hubProject(String hubId, int users) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project_id", hubId);
        body.put("trust_id", UUID.randomUUID().toString());
        body.put("project_name", "Slow XNAT");
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            list.add(Map.of("id", UUID.randomUUID().toString(), "email", "slow" + i + "." + hubId.substring(0, 8)
                    + "@hospital.example.org"));
        }
        body.put("users", list);
        return body;
    }

    private ResponseEntity<JsonNode> provision(Object body) {
        return rest.exchange(PATH, HttpMethod.POST, new HttpEntity<>(body, keyHeaders()), JsonNode.class);
    }

    private static void awaitTrue(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", limit).isLessThan(end);
            Thread.sleep(100);
        }
    }

    private static boolean converged(String hubId, int users) {
        var twins = xnat.state().projectsBySecondaryId(hubId);
        if (twins.size() != 1) {
            return false;
        }
        String id = twins.get(0).id();
        return xnat.state().subscriptionsForProject(id).size() == 1
                && xnat.state().projectMembers(id).keySet().stream().filter(u -> u.startsWith("slow")).count() == users;
    }

    @Test
    void slowXnatAtEveryStepIsAnsweredWithinTheDeadlineAndTheRunCompletesInTheBackground() throws Exception {
        String hubId = UUID.randomUUID().toString();
        xnat.inject(XnatEmulator.ANY_OPERATION, Fault.delay(Duration.ofMillis(700)), 1.0);

        long start = System.nanoTime();
        ResponseEntity<JsonNode> late = provision(hubProject(hubId, 2));
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(late.getStatusCode().value()).isEqualTo(504);
        assertThat(late.getBody().get("code").asText()).isEqualTo("provisioning_deadline");
        assertThat(late.getBody().get("detail").asText()).contains("Sending the same request again completes it");
        assertThat(tookMs).isLessThan(ANSWER_BOUND_MS);

        awaitTrue(() -> converged(hubId, 2), Duration.ofSeconds(60));
        xnat.clearFaults();
        ResponseEntity<JsonNode> replay = provision(hubProject(hubId, 0));
        assertThat(replay.getStatusCode().value()).isEqualTo(200);
        assertThat(converged(hubId, 2)).isTrue();
        assertThat(xnat.state().projectsBySecondaryId(hubId)).hasSize(1);
    }

    @Test
    void fiveIdenticalRequestsShareOneRunAndEachAnswersWithinTheDeadline() throws Exception {
        String hubId = UUID.randomUUID().toString();
        Map<String, Object> body = hubProject(hubId, 1);
        xnat.inject(XnatEmulator.ANY_OPERATION, Fault.delay(Duration.ofMillis(700)), 1.0);

        List<CompletableFuture<Long>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                int status = provision(body).getStatusCode().value();
                assertThat(status).isIn(200, 201, 504);
                return (System.nanoTime() - start) / 1_000_000;
            }));
        }
        for (CompletableFuture<Long> answer : answers) {
            assertThat(answer.get()).as("each request's wait").isLessThan(ANSWER_BOUND_MS);
        }

        awaitTrue(() -> converged(hubId, 1), Duration.ofSeconds(60));
        assertThat(xnat.calls(XnatOps.CREATE_PROJECT)).as("one run for the five requests").isEqualTo(1);
        assertThat(xnat.state().projectsBySecondaryId(hubId)).hasSize(1);
    }

    /**
     * POST /projects/{id}/users past the deadline, then the same request again while the first run still goes
     * on: the second waits for that run instead of racing it (a racing run would find the accounts just made,
     * take them for old ones and revoke the invitations the first run issued).
     */
    @Test
    void theSameUsersRequestSentAgainDuringItsBackgroundRunJoinsItInsteadOfRacingIt() throws Exception {
        String hubId = UUID.randomUUID().toString();
        assertThat(provision(hubProject(hubId, 0)).getStatusCode().value()).isEqualTo(201);
        String id = xnat.state().projectsBySecondaryId(hubId).get(0).id();
        Map<String, Object> users = Map.of("users", hubProject(hubId, 2).get("users"));
        xnat.resetCounters();
        xnat.inject(XnatEmulator.ANY_OPERATION, Fault.delay(Duration.ofMillis(700)), 1.0);

        ResponseEntity<JsonNode> first = rest.exchange("/projects/" + id + "/users", HttpMethod.POST,
                new HttpEntity<>(users, keyHeaders()), JsonNode.class);
        ResponseEntity<JsonNode> again = rest.exchange("/projects/" + id + "/users", HttpMethod.POST,
                new HttpEntity<>(users, keyHeaders()), JsonNode.class);

        assertThat(first.getStatusCode().value()).isEqualTo(504);
        assertThat(again.getStatusCode().value()).isIn(200, 504);
        awaitTrue(() -> xnat.state().projectMembers(id).keySet().stream().filter(u -> u.startsWith("slow")).count() == 2,
                Duration.ofSeconds(60));
        Thread.sleep(1_500); // a racing run, if any, would still be making its calls
        xnat.clearFaults();
        assertThat(xnat.calls(XnatOps.CREATE_USER)).as("each account created once, by one run").isEqualTo(2);
        assertThat(xnat.calls(XnatOps.SHOW_TOKENS_FOR_USER)).as("no run took the new accounts for old ones").isZero();
        assertThat(xnat.calls(XnatOps.ISSUE_TOKEN_FOR_USER)).isEqualTo(2);
    }

    @Test
    void aSlowDeleteIsAnsweredWithinTheDeadlineAndStillHappens() throws Exception {
        String id = "SLOW_DEL_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        xnat.state().addProject(id, UUID.randomUUID().toString(), "slow delete", "");
        xnat.inject(XnatOps.DELETE_PROJECT, Fault.delay(Duration.ofSeconds(4)).times(1));

        long start = System.nanoTime();
        ResponseEntity<JsonNode> late = rest.exchange("/projects/" + id, HttpMethod.DELETE,
                new HttpEntity<>(keyHeaders()), JsonNode.class);
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(late.getStatusCode().value()).isEqualTo(504);
        assertThat(late.getBody().get("code").asText()).isEqualTo("deletion_deadline");
        assertThat(tookMs).isLessThan(ANSWER_BOUND_MS);
        awaitTrue(() -> xnat.state().project(id).isEmpty(), Duration.ofSeconds(30));
    }
}
