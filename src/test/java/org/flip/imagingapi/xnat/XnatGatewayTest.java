package org.flip.imagingapi.xnat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.flip.imagingapi.web.XnatProblems;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flip.imagingapi.config.XnatProperties;
import org.flip.imagingapi.model.Project;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

/** The gateway alone against WireMock: sessions, budgets and error translation on the wire. */
class XnatGatewayTest {

    @RegisterExtension
    static WireMockExtension xnat = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String SESSION_A = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private static final String SESSION_B = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
    private static final String ONE_PROJECT = """
            {"ResultSet":{"Result":[{"ID":"P1","secondary_ID":"S1","name":"One","description":"",
            "pi_firstname":"","pi_lastname":"","URI":"/data/projects/P1"}],"totalRecords":"1"}}""";
    private static final String TOMCAT_401 = "<!doctype html><html lang=\"en\"><head><title>HTTP Status 401 – "
            + "Unauthorized</title></head><body><h1>HTTP Status 401 – Unauthorized</h1></body></html>";

    private XnatGateway gateway;
    private XnatProjects projects;

    @BeforeEach
    void setUp() {
        gateway = gateway(xnat.baseUrl(), Duration.ofSeconds(15));
        projects = new XnatProjects(gateway);
    }

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    static XnatGateway gateway(String baseUrl, Duration standardBudget) {
        return TestGateways.gateway(TestGateways.properties(baseUrl, "svc", "s3cret-password",
                new XnatProperties.Timeouts(Duration.ofSeconds(5), standardBudget, Duration.ofSeconds(15),
                        Duration.ofSeconds(10)),
                new XnatProperties.Login(Duration.ofMinutes(1), Duration.ofMinutes(30))));
    }

    private void loginAnswers(String sessionId) {
        xnat.stubFor(post("/data/JSESSION").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withBody(sessionId)));
    }

    private void projectsAnswerFor(String sessionId) {
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).withCookie("JSESSIONID", equalTo(sessionId))
                .willReturn(okJson(ONE_PROJECT)));
    }

    private int logins() {
        return xnat.countRequestsMatching(postRequestedFor(urlEqualTo("/data/JSESSION")).build()).getCount();
    }

    @Test
    void fiftyCallsShareOneLogin() {
        loginAnswers(SESSION_A);
        projectsAnswerFor(SESSION_A);

        for (int i = 0; i < 50; i++) {
            assertThat(projects.list()).extracting(Project::id).containsExactly("P1");
        }

        assertThat(logins()).isEqualTo(1);
        xnat.verify(postRequestedFor(urlEqualTo("/data/JSESSION"))
                .withBasicAuth(new com.github.tomakehurst.wiremock.client.BasicCredentials("svc", "s3cret-password")));
    }

    @Test
    void anExpiredSessionCausesOneReloginAndTheCallSucceeds() {
        xnat.stubFor(post("/data/JSESSION").inScenario("login").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withBody(SESSION_A)).willSetStateTo("second"));
        xnat.stubFor(post("/data/JSESSION").inScenario("login").whenScenarioStateIs("second")
                .willReturn(aResponse().withBody(SESSION_B)));
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).withCookie("JSESSIONID", equalTo(SESSION_A))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "text/html").withBody(TOMCAT_401)));
        projectsAnswerFor(SESSION_B);

        assertThat(projects.list()).hasSize(1);

        assertThat(logins()).isEqualTo(2);
        assertThat(xnat.countRequestsMatching(getRequestedFor(urlPathEqualTo("/data/projects")).build()).getCount())
                .isEqualTo(2);
    }

    @Test
    void twentyConcurrentCallsAfterExpiryCauseOneLogin() throws Exception {
        xnat.stubFor(post("/data/JSESSION").inScenario("login").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withBody(SESSION_A)).willSetStateTo("second"));
        xnat.stubFor(post("/data/JSESSION").inScenario("login").whenScenarioStateIs("second")
                .willReturn(aResponse().withBody(SESSION_B).withFixedDelay(100)));
        projectsAnswerFor(SESSION_A);
        projects.list();
        // The session expires in XNAT.
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).withCookie("JSESSIONID", equalTo(SESSION_A))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "text/html").withBody(TOMCAT_401)));
        projectsAnswerFor(SESSION_B);

        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<List<Project>>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(projects::list);
            }
            for (Future<List<Project>> result : pool.invokeAll(calls)) {
                assertThat(result.get()).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(logins()).isEqualTo(2); // the first login, then exactly one re-login
    }

    @Test
    void aFailingReloginIsA502AfterExactlyOneLoginAttempt() {
        xnat.stubFor(post("/data/JSESSION").inScenario("login").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withBody(SESSION_A)).willSetStateTo("password changed"));
        xnat.stubFor(post("/data/JSESSION").inScenario("login").whenScenarioStateIs("password changed")
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "text/html").withBody(TOMCAT_401)));
        projectsAnswerFor(SESSION_A);
        projects.list();
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).withCookie("JSESSIONID", equalTo(SESSION_A))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "text/html").withBody(TOMCAT_401)));

        assertThatThrownBy(projects::list).isInstanceOfSatisfying(XnatFailure.class, e -> {
            assertThat(XnatProblems.of(e).status().value()).isEqualTo(502);
            assertThat(XnatProblems.of(e).code()).isEqualTo("xnat_service_account_rejected");
            assertThat(e.detail()).contains("rejected the service account").doesNotContain("s3cret");
        });
        assertThat(logins()).isEqualTo(2);
    }

    @Test
    void aWrongPasswordCostsOneLoginAttemptHoweverManyRequestsArrive() {
        xnat.stubFor(post("/data/JSESSION").willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "text/html").withBody(TOMCAT_401)));

        for (int i = 0; i < 100; i++) {
            assertThatThrownBy(projects::list).isInstanceOfSatisfying(XnatFailure.class,
                    e -> assertThat(XnatProblems.of(e).status().value()).isEqualTo(502));
        }

        assertThat(logins()).isEqualTo(1);
        xnat.verify(0, getRequestedFor(urlPathEqualTo("/data/projects")));
    }

    @Test
    void aBudgetOverrunIsA504WithinTheBudgetPlusOneSecond() {
        loginAnswers(SESSION_A);
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(okJson(ONE_PROJECT).withFixedDelay(5_000)));
        XnatGateway gateway = gateway(xnat.baseUrl(), Duration.ofMillis(800));
        XnatProjects projects = new XnatProjects(gateway);
        try {
            gateway.call(XnatReadiness.BUILD_INFO); // log in (and warm the connection) outside the timed part
        } catch (XnatFailure slowWarmUp) {
            // The login has its own budget and has happened; only the warm-up call itself was slow.
        }

        long start = System.nanoTime();
        assertThatThrownBy(projects::list).isInstanceOfSatisfying(XnatFailure.class, e -> {
            assertThat(XnatProblems.of(e).status().value()).isEqualTo(504);
            assertThat(e.detail()).contains("project listing").contains("800 ms");
        });
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(elapsedMs).isLessThan(800 + 1_000);
    }

    @Test
    void anHtmlPageOnA200IsA502NotData() {
        loginAnswers(SESSION_A);
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html><body><h1>Login</h1></body></html>")));

        assertThatThrownBy(projects::list).isInstanceOfSatisfying(XnatFailure.class, e -> {
            assertThat(XnatProblems.of(e).status().value()).isEqualTo(502);
            assertThat(e.detail()).contains("HTML page where JSON was expected");
        });
    }

    @Test
    void a500WithALongHtmlBodyIsA502WithAShortTagFreeDetail() {
        loginAnswers(SESSION_A);
        String html = "<html><head><title>Status page</title></head><body><p>" + "x".repeat(5_000)
                + "</p></body></html>";
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "text/html").withBody(html)));

        assertThatThrownBy(projects::list).isInstanceOfSatisfying(XnatFailure.class, e -> {
            assertThat(XnatProblems.of(e).status().value()).isEqualTo(502);
            assertThat(e.detail()).hasSizeLessThan(950).doesNotContain("<").doesNotContain(">")
                    .contains("XNAT project listing failed: HTTP 500")
                    .contains("more characters, full body in the imaging-api log");
        });
    }

    @Test
    void aRestletStatusPageIsQuotedByItsMessage() {
        loginAnswers(SESSION_A);
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "text/html")
                .withBody("<html><head><title>Status page</title></head><body>\n<h3>Service unavailable.</h3>"
                        + "<p>You can get technical details <a href=\"x\">here</a>.</p></body></html>")));

        assertThatThrownBy(projects::list).isInstanceOfSatisfying(XnatFailure.class,
                e -> assertThat(e.detail()).endsWith("HTTP 503 - Service unavailable."));
    }

    @Test
    void aRefusedConnectionIsA503() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        XnatProjects unreachable = new XnatProjects(gateway("http://127.0.0.1:" + closedPort, Duration.ofSeconds(2)));

        assertThatThrownBy(unreachable::list).isInstanceOfSatisfying(XnatFailure.class, e -> {
            assertThat(XnatProblems.of(e).status().value()).isEqualTo(503);
            assertThat(e.detail()).contains("unreachable");
        });
    }

    @Test
    void aDroppedConnectionIsA502() {
        loginAnswers(SESSION_A);
        xnat.stubFor(get(urlPathEqualTo("/data/projects"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(projects::list).isInstanceOfSatisfying(XnatFailure.class,
                e -> assertThat(XnatProblems.of(e).status().value()).isEqualTo(502));
    }

    @Test
    void theRequestIdIsForwardedToXnat() {
        loginAnswers(SESSION_A);
        projectsAnswerFor(SESSION_A);
        MDC.put("requestId", "req-123");

        projects.list();

        xnat.verify(getRequestedFor(urlPathEqualTo("/data/projects")).withHeader("X-Request-ID", equalTo("req-123")));
    }

    @Test
    void everyUriVariableIsEncodedAsOneSegment() {
        loginAnswers(SESSION_A);
        xnat.stubFor(get(urlPathEqualTo("/data/projects/a%2Fb%3Fformat%3Dxml%23x%20y/subjects"))
                .willReturn(okJson("{\"ResultSet\":{\"Result\":[]}}")));

        XnatResponse response = gateway.call(XnatOperation.read("subjects", "/data/projects/{p}/subjects"),
                "a/b?format=xml#x y");

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void queryValuesAreEncodedStrictly() {
        loginAnswers(SESSION_A);
        xnat.stubFor(get(urlEqualTo("/data/experiments?format=json&project=a%26b%3Dc"))
                .willReturn(okJson("{\"ResultSet\":{\"Result\":[]}}")));

        XnatResponse response = gateway.call(
                XnatOperation.read("experiments", "/data/experiments?format=json&project={p}"), "a&b=c");

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void dotSegmentsNeverReachXnat() {
        loginAnswers(SESSION_A);
        for (String bad : List.of("..", ".", "")) {
            assertThatThrownBy(() -> gateway.call(XnatOperation.read("subjects", "/data/projects/{p}/subjects"), bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(xnat.getAllServeEvents()).isEmpty();
    }

    @Test
    void aPluginPermission401IsA502WithoutRelogin() {
        loginAnswers(SESSION_A);
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "text/plain").withBody("Unauthorized.\nsvc not authorized")));

        XnatResponse response = gateway.call(XnatProjects.LIST);

        assertThat(response.status()).isEqualTo(401);
        assertThat(logins()).isEqualTo(1);
        assertThatThrownBy(() -> gateway.rows(response))
                .isInstanceOfSatisfying(XnatFailure.class, e -> assertThat(XnatProblems.of(e).status().value()).isEqualTo(502));
    }

    @Test
    void shutdownLogsOutOfXnat() {
        loginAnswers(SESSION_A);
        projectsAnswerFor(SESSION_A);
        xnat.stubFor(delete("/data/JSESSION").willReturn(aResponse().withStatus(200)));
        projects.list();

        gateway.logout();

        xnat.verify(deleteRequestedFor(urlEqualTo("/data/JSESSION"))
                .withHeader("Cookie", containing("JSESSIONID=" + SESSION_A)));
    }

    /** A call handed to another thread keeps the caller's time limit, as it keeps the request id. */
    @Test
    void anAsyncCallCarriesTheCallersTimeLimit() {
        XnatGateway gateway = TestGateways.gateway("http://127.0.0.1:9");
        long callEnd = System.nanoTime() + java.time.Duration.ofMinutes(5).toNanos();

        long capped = XnatDeadline.within(java.time.Duration.ofSeconds(1),
                () -> gateway.async(() -> XnatDeadline.cap(callEnd)).block());
        long uncapped = gateway.async(() -> XnatDeadline.cap(callEnd)).block();

        assertThat(capped).as("the worker's calls end within the caller's second").isLessThan(callEnd);
        assertThat(uncapped).isEqualTo(callEnd);
    }
}
