package org.flip.imagingapi.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flip.imagingapi.EmulatorFlowTest;
import org.flip.imagingapi.emulator.Fault;
import org.flip.imagingapi.emulator.XnatOps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/**
 * The caller's deadline and the background budget hold for the per-user steps that run on worker
 * threads: the budget is a thread-local, so a worker that did not carry it would send its XNAT
 * calls with only their own timeouts and keep the run alive past its budget.
 */
@TestPropertySource(properties = {"provisioning.deadline=1s", "provisioning.background-budget=3s"})
class UserStepsDeadlineFlowTest extends EmulatorFlowTest {

    @Autowired
    MeterRegistry registry;

    private double failedInBackground() {
        Counter counter = registry.find("imaging_api.background.runs").tag("operation", "user provisioning")
                .tag("outcome", "failed").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void workersCallingXnatStopAtTheBackgroundBudgetLikeTheRunItself() throws Exception {
        String project = "STEPS_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        xnat.state().addProject(project, UUID.randomUUID().toString(), "steps", "");
        List<Map<String, Object>> users = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            users.add(Map.of("id", UUID.randomUUID().toString(), "email",
                    "steps" + i + "." + project.toLowerCase() + "@hospital.example.org"));
        }
        // Every creation outlasts the 3 s budget but not its own 10 s timeout: only the budget cuts it.
        xnat.inject(XnatOps.CREATE_USER, Fault.delay(Duration.ofSeconds(7)));
        double failedBefore = failedInBackground();

        long start = System.nanoTime();
        ResponseEntity<JsonNode> late = rest.exchange("/projects/" + project + "/users", HttpMethod.POST,
                new HttpEntity<>(Map.of("users", users), keyHeaders()), JsonNode.class);
        long answeredMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(late.getStatusCode().value()).isEqualTo(504);
        assertThat(late.getBody().get("code").asText()).isEqualTo("provisioning_deadline");
        assertThat(answeredMs).isLessThan(3_000);
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (failedInBackground() == failedBefore && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        long finishedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(failedInBackground()).as("the run ended out of time").isEqualTo(failedBefore + 1);
        // 3 s of budget, cut together: a worker without it would hold the run for the full 7 s.
        assertThat(finishedMs).as("the background run ends at its budget").isLessThan(5_500);
        assertThat(xnat.calls(XnatOps.CREATE_USER)).as("the four steps ran side by side").isEqualTo(4);
    }
}
