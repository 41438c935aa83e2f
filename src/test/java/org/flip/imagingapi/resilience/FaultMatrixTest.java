package org.flip.imagingapi.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.flip.imagingapi.EmulatorFlowTest;
import org.flip.imagingapi.emulator.Fault;
import org.flip.imagingapi.emulator.XnatEmulator;
import org.flip.imagingapi.emulator.XnatOps;
import org.flip.imagingapi.xnat.XnatOperation;
import org.flip.imagingapi.xnat.XnatResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/**
 * Every XNAT operation the service uses, against every way XNAT fails: our status, a latency
 * bounded by the operation's budget, and how many times XNAT was asked (idempotent calls up to
 * three times on 5xx and broken connections, creates once, a 401 session expiry once more after
 * one re-login). Short budgets keep the delay cells fast; they make Spring start its own context.
 */
@TestPropertySource(properties = {
        "xnat.timeouts.connect=1s",
        "xnat.timeouts.standard=1500ms",
        "xnat.timeouts.slow=2s",
        "xnat.timeouts.login=1500ms"})
class FaultMatrixTest extends EmulatorFlowTest {

    private static final Duration STANDARD = Duration.ofMillis(1500);
    private static final Duration SLOW = Duration.ofSeconds(2);
    /** Past every budget above. */
    private static final Duration DELAY = Duration.ofMillis(3500);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** What XNAT's Tomcat answers for an expired session (not a plugin's text/plain permission 401). */
    private static final String TOMCAT_401 = "<!doctype html><html lang=\"en\"><head><title>HTTP Status 401 \u2013 "
            + "Unauthorized</title></head><body><h1>HTTP Status 401 \u2013 Unauthorized</h1><hr class=\"line\" />"
            + "<p><b>Type</b> Status Report</p><p><b>Description</b> The request has not been applied to the target "
            + "resource because it lacks valid authentication credentials for that resource.</p>"
            + "<h3>Apache Tomcat/9.0.108</h3></body></html>";
    private static final String HTML = "text/html;charset=utf-8";

    @Autowired
    CircuitBreakerRegistry breakers;

    /** Fresh XNAT data for one cell, so no cell sees another's leftovers (a delayed create lands late). */
    record Fixture(String project, String experiment, String user, String fresh) {
    }

    /** One row of the matrix: the XNAT operation, the request of ours that reaches it, and its success status. */
    record Operation(String xnatOp, String name, HttpMethod method, Function<Fixture, String> path,
            Function<Fixture, Object> body, int success, boolean idempotent, Duration budget) {
        @Override
        public String toString() {
            return xnatOp;
        }
    }

    enum Failure {
        DELAY_PAST_BUDGET, HTTP_500, HTTP_502_HTML, HTML_ON_200, DROPPED_CONNECTION, HTTP_401_ONCE, HTTP_401_ALWAYS
    }

    static List<Operation> operations() {
        return List.of(
                new Operation(XnatOps.LIST_PROJECTS, "GET /projects/{id}", HttpMethod.GET,
                        f -> "/projects/" + f.project(), f -> null, 200, true, STANDARD),
                new Operation(XnatOps.LIST_SUBJECTS, "GET /projects/{id}/subjects", HttpMethod.GET,
                        f -> "/projects/" + f.project() + "/subjects", f -> null, 200, true, STANDARD),
                new Operation(XnatOps.LIST_EXPERIMENTS, "GET /projects/{id}/experiments", HttpMethod.GET,
                        f -> "/projects/" + f.project() + "/experiments", f -> null, 200, true, STANDARD),
                new Operation(XnatOps.GET_PROJECT_EXPERIMENT, "GET /projects/{id}/experiments/{e}", HttpMethod.GET,
                        f -> "/projects/" + f.project() + "/experiments/" + f.experiment(), f -> null, 200, true,
                        STANDARD),
                new Operation(XnatOps.LIST_USER_PROFILES, "GET /users", HttpMethod.GET,
                        f -> "/users", f -> null, 200, true, STANDARD),
                new Operation(XnatOps.CREATE_USER, "POST /users", HttpMethod.POST,
                        f -> "/users", f -> Map.of("username", f.fresh(), "password", "Secret-" + f.fresh(),
                                "email", f.fresh() + "@hospital.example.org", "firstName", "Fault",
                                "lastName", "Matrix"), 201, false, STANDARD),
                new Operation(XnatOps.CREATE_PROJECT, "POST /projects", HttpMethod.POST,
                        f -> "/projects", f -> Map.of("id", f.fresh(), "secondary_id", "sec-" + f.fresh(),
                                "name", "Fault matrix " + f.fresh()), 201, false, SLOW),
                new Operation(XnatOps.SET_PREARCHIVE_CODE, "PUT /projects/{id}/prearchive-code", HttpMethod.PUT,
                        f -> "/projects/" + f.project() + "/prearchive-code", f -> Map.of("code", 5), 200, true,
                        STANDARD),
                new Operation(XnatOps.ADD_PROJECT_USER, "PUT /users/add-to-project/{u}/{id}", HttpMethod.PUT,
                        f -> "/users/add-to-project/" + f.user() + "/" + f.project(), f -> null, 200, true,
                        STANDARD),
                new Operation(XnatOps.LIST_COMMANDS, "GET /commands?image=", HttpMethod.GET,
                        f -> "/commands?image=" + XnatEmulator.DCM2NIIX_IMAGE, f -> null, 200, true, STANDARD),
                new Operation(XnatOps.CREATE_SUBSCRIPTION, "POST /projects/{id}/event-subscriptions", HttpMethod.POST,
                        f -> "/projects/" + f.project() + "/event-subscriptions", f -> Map.of(), 201, false,
                        STANDARD),
                new Operation(XnatOps.DQR_LIST_QUEUE, "DELETE /projects/{id}", HttpMethod.DELETE,
                        f -> "/projects/" + f.project(), f -> null, 200, true, STANDARD));
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (Operation operation : operations()) {
            for (Failure failure : Failure.values()) {
                cells.add(Arguments.of(operation, failure));
            }
        }
        return cells.stream();
    }

    @Test
    void theConfiguredBreakerCountsXnat5xxAnswersAndNot4xx() {
        // application.yml's record-result-predicate: without it an XNAT answering 500 forever never opens the circuit.
        var predicate = breakers.circuitBreaker("xnat").getCircuitBreakerConfig().getRecordResultPredicate();
        XnatOperation listing = XnatOperation.read("project listing", "/data/projects");
        assertThat(predicate.test(new XnatResponse(listing, 500, HttpHeaders.EMPTY, new byte[0]))).isTrue();
        assertThat(predicate.test(new XnatResponse(listing, 404, HttpHeaders.EMPTY, new byte[0]))).isFalse();
    }

    @BeforeEach
    void closedCircuitAndALiveSession() {
        breakers.circuitBreaker("xnat").reset();
        // A session before the cell, so that logins() counts only re-logins caused by the fault. The
        // first call of a cold JVM on a busy machine may exceed the short budgets: ask again.
        int status = 0;
        for (int attempt = 0; attempt < 5 && status != 200; attempt++) {
            status = rest.exchange("/projects", HttpMethod.GET, new HttpEntity<>(keyHeaders()), String.class)
                    .getStatusCode().value();
        }
        assertThat(status).isEqualTo(200);
        xnat.clearFaults();
        xnat.resetCounters();
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("cells")
    void everyXnatOperationFailsBoundedAndWithTheContractStatus(Operation operation, Failure failure) {
        Fixture fixture = fixture();
        xnat.resetCounters();
        xnat.inject(operation.xnatOp(), fault(failure));

        long start = System.nanoTime();
        ResponseEntity<JsonNode> response = rest.exchange(operation.path().apply(fixture), operation.method(),
                new HttpEntity<>(operation.body().apply(fixture), keyHeaders()), JsonNode.class);
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        xnat.clearFaults();

        String cell = operation.name() + " (" + operation.xnatOp() + ") x " + failure + ": calls " + xnat.callCounts()
                + ", body " + response.getBody();
        assertThat(response.getStatusCode().value()).as(cell).isEqualTo(expectedStatus(operation, failure));
        if (response.getStatusCode().isError()) {
            assertThat(response.getHeaders().getContentType()).as(cell)
                    .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(response.getBody().path("code").asText()).as(cell)
                    .isEqualTo(failure == Failure.DELAY_PAST_BUDGET ? "xnat_timeout" : "xnat_error");
            assertThat(response.getBody().path("detail").asText()).as(cell).hasSizeLessThan(950);
        }
        assertThat(latency).as(cell).isLessThan(operation.budget().plusSeconds(1));
        assertThat(xnat.calls(operation.xnatOp())).as(cell).isEqualTo(expectedAttempts(operation, failure));
        int expectedLogins = failure == Failure.HTTP_401_ONCE || failure == Failure.HTTP_401_ALWAYS ? 1 : 0;
        assertThat(xnat.logins()).as(cell).isEqualTo(expectedLogins);
    }

    private static int expectedStatus(Operation operation, Failure failure) {
        return switch (failure) {
            case DELAY_PAST_BUDGET -> 504;
            // XNAT's statuses are never ours (contract §1.3): 5xx, unusable bodies, a broken
            // connection and a 401 that survives a fresh login all mean "XNAT failed us".
            case HTTP_500, HTTP_502_HTML, HTML_ON_200, DROPPED_CONNECTION, HTTP_401_ALWAYS -> 502;
            case HTTP_401_ONCE -> operation.success();
        };
    }

    private static int expectedAttempts(Operation operation, Failure failure) {
        return switch (failure) {
            case DELAY_PAST_BUDGET, HTML_ON_200 -> 1;
            case HTTP_500, HTTP_502_HTML, DROPPED_CONNECTION -> operation.idempotent() ? 3 : 1;
            // The expired session did not run the request, so even a create is sent again, once.
            case HTTP_401_ONCE, HTTP_401_ALWAYS -> 2;
        };
    }

    private static Fault fault(Failure failure) {
        return switch (failure) {
            case DELAY_PAST_BUDGET -> Fault.delay(DELAY);
            case HTTP_500 -> Fault.status(500, "<html><body><h3>Internal Server Error</h3></body></html>", HTML);
            case HTTP_502_HTML -> Fault.status(502, "<html><head><title>502 Bad Gateway</title></head><body>"
                    + "<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>", HTML);
            case HTML_ON_200 -> Fault.htmlOn200();
            case DROPPED_CONNECTION -> Fault.dropConnection();
            case HTTP_401_ONCE -> Fault.status(401, TOMCAT_401, HTML).times(1);
            case HTTP_401_ALWAYS -> Fault.status(401, TOMCAT_401, HTML);
        };
    }

    private static Fixture fixture() {
        String n = SEQUENCE.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8);
        String project = "FM_" + n;
        xnat.state().addProject(project, "hub-" + n, "Fault matrix " + n, null, XnatEmulator.SERVICE_USER);
        var subject = xnat.state().addSubject(project, "SUBJ_" + n);
        var experiment = xnat.state().addExperiment(project, subject.id(), "MR_" + n, "xnat:mrSessionData",
                "2024-01-01");
        String user = "fm" + n.replace("_", "");
        xnat.state().addUser(user, user + "@hospital.example.org", "Fault", "Matrix", "pw-" + n, null);
        return new Fixture(project, experiment.id(), user, "fmnew" + n.replace("_", ""));
    }
}
