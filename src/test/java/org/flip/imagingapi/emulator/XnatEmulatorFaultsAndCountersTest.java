package org.flip.imagingapi.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class XnatEmulatorFaultsAndCountersTest extends DemoEmulatorTest {

    @Test
    void aDelayFaultSleepsThenServesTheRealResponse() {
        xnat.inject(XnatOps.LIST_PROJECTS, Fault.delay(Duration.ofMillis(300)).times(1));

        long t0 = System.nanoTime();
        var slow = admin.get("/data/projects");
        long slowMs = (System.nanoTime() - t0) / 1_000_000;

        assertThat(slow.statusCode()).isEqualTo(200);
        assertThat(TestClient.rows(slow)).hasSize(3);
        assertThat(slowMs).isGreaterThanOrEqualTo(300);
    }

    @Test
    void aStatusFaultIsHtmlOnDataAndTextOnXapiAndHonoursTimes() {
        xnat.inject(XnatOps.LIST_PROJECTS, Fault.status(503, "Service Unavailable").times(1));
        xnat.inject(XnatOps.LIST_COMMANDS, Fault.status(500, "boom"));

        var data = admin.get("/data/projects");
        var xapi = admin.get("/xapi/commands");

        assertThat(data.statusCode()).isEqualTo(503);
        assertThat(data.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(xapi.statusCode()).isEqualTo(500);
        assertThat(xapi.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        assertThat(xapi.body()).isEqualTo("boom");
        assertThat(admin.get("/data/projects").statusCode()).isEqualTo(200);
        assertThat(admin.get("/xapi/commands").statusCode()).as("unlimited until cleared").isEqualTo(500);
        xnat.clearFaults();
        assertThat(admin.get("/xapi/commands").statusCode()).isEqualTo(200);
    }

    @Test
    void anHtmlOn200FaultServesALoginPageWithStatus200() {
        xnat.inject(XnatOps.LIST_EXPERIMENTS, Fault.htmlOn200().times(1));

        var r = admin.get("/data/experiments?project=" + Seeds.NEURO);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(r.body()).contains("<html").doesNotContain("ResultSet");
    }

    @Test
    void aDropConnectionFaultClosesTheSocketWithoutAResponse() throws Exception {
        xnat.inject(XnatOps.GET_USER_PROFILE, Fault.dropConnection().times(1));

        try (Socket s = new Socket("127.0.0.1", xnat.port())) {
            s.getOutputStream().write(("GET /xapi/users/profile/jsmith HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(s.getInputStream().readAllBytes()).isEmpty();
        }
        assertThat(admin.get("/xapi/users/profile/jsmith").statusCode()).isEqualTo(200);
        assertThat(xnat.calls(XnatOps.GET_USER_PROFILE)).isEqualTo(2);
    }

    @Test
    void aDroppedPostSurfacesAsAnIoErrorInTheJdkClient() {
        // (the JDK HttpClient silently retries a dropped GET once, so a POST is used here)
        xnat.inject(XnatOps.LOGIN, Fault.dropConnection().times(1));

        assertThatThrownBy(() -> admin.post("/data/JSESSION", null, null)).isInstanceOf(UncheckedIOException.class);
        assertThat(admin.post("/data/JSESSION", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void faultsApplyToTheLoginOperation() {
        xnat.inject(XnatOps.LOGIN, Fault.status(502, "<html>Bad Gateway</html>").times(2));

        assertThat(admin.post("/data/JSESSION", null, null).statusCode()).isEqualTo(502);
        assertThat(admin.post("/data/JSESSION", null, null).statusCode()).isEqualTo(502);
        assertThat(admin.post("/data/JSESSION", null, null).statusCode()).isEqualTo(200);
        assertThat(xnat.calls(XnatOps.LOGIN)).isEqualTo(3);
    }

    @Test
    void injectingIntoAMistypedOperationFailsFast() {
        assertThatThrownBy(() -> xnat.inject("GET /data/project", Fault.status(500, "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countersTrackOperationsBytesAndReset() {
        admin.get("/data/projects");
        admin.get("/data/projects");
        admin.get("/data/projects/" + Seeds.NEURO + "/experiments/MR_SUBJ001_01?format=json");

        assertThat(xnat.calls(XnatOps.LIST_PROJECTS)).isEqualTo(2);
        assertThat(xnat.calls(XnatOps.GET_PROJECT_EXPERIMENT)).isEqualTo(1);
        assertThat(xnat.callCounts()).containsEntry(XnatOps.LIST_PROJECTS, 2);
        assertThat(xnat.totalCalls()).isEqualTo(3);
        assertThat(xnat.bytesSent()).isGreaterThan(xnat.bytesSent(XnatOps.LIST_PROJECTS));
        assertThat(xnat.bytesSent(XnatOps.LIST_PROJECTS)).isPositive();

        xnat.resetCounters();

        assertThat(xnat.totalCalls()).isZero();
        assertThat(xnat.calls(XnatOps.LIST_PROJECTS)).isZero();
        assertThat(xnat.bytesSent()).isZero();
    }

    @Test
    void archiveAndRestAliasesRouteToTheSameOperations() {
        assertThat(admin.get("/data/archive/projects").statusCode()).isEqualTo(200);
        assertThat(admin.get("/REST/projects").statusCode()).isEqualTo(200);
        assertThat(xnat.calls(XnatOps.LIST_PROJECTS)).isEqualTo(2);
    }

    @Test
    void bulkSeedingIsFastAndListingsUseIndexes() {
        long t0 = System.nanoTime();
        xnat.seedBulk(10_000, 2, 2, 10_000);
        long seedMs = (System.nanoTime() - t0) / 1_000_000;

        assertThat(seedMs).as("generous bound for a loaded 2-core box").isLessThan(15_000);
        assertThat(xnat.state().projectCount()).isEqualTo(10_003);
        assertThat(xnat.state().users()).hasSizeGreaterThan(10_000);
        var one = admin.get("/data/projects?secondary_ID=bulk-5000");
        assertThat(TestClient.rows(one)).hasSize(1);
        var all = admin.get("/data/projects");
        assertThat(TestClient.json(all).path("ResultSet").path("totalRecords").asText()).isEqualTo("10003");
        assertThat(TestClient.rows(admin.get("/data/experiments?project=BULK_P005000"))).hasSize(2);
    }

    @Test
    void concurrentClientsWithASharedSessionAllSucceed() throws Exception {
        String session = admin.post("/data/JSESSION", null, null).body();
        TestClient client = TestClient.cookie(xnat, session);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                results.add(pool.submit(() -> client.get("/data/projects").statusCode()));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(xnat.calls(XnatOps.LIST_PROJECTS)).isEqualTo(400);
        assertThat(xnat.activeSessions()).isEqualTo(1);
    }
}
