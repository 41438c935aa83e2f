package org.flip.imagingapi.xnat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.flip.imagingapi.config.XnatProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpMethod;

/** Retries only where replaying is harmless; the breaker and bulkhead protect XNAT. */
class XnatResilienceTest {

    @RegisterExtension
    static WireMockExtension xnat = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final XnatOperation CREATE = XnatOperation.create("user creation", HttpMethod.POST, "/xapi/users");
    private static final String EMPTY_LISTING = "{\"ResultSet\":{\"Result\":[]}}";

    @BeforeEach
    void login() {
        xnat.stubFor(post("/data/JSESSION").willReturn(aResponse().withBody("0123456789abcdef0123456789abcdef")));
    }

    private XnatGateway gateway(CircuitBreakerRegistry breakers, BulkheadRegistry bulkheads) {
        return TestGateways.gateway(TestGateways.properties(xnat.baseUrl(), new XnatProperties.Timeouts(
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10))),
                breakers, bulkheads);
    }

    private XnatGateway gateway() {
        return gateway(XnatResilienceDefaults.breakers(), XnatResilienceDefaults.bulkheads());
    }

    @Test
    void aReadThatMeetsOne500IsRetriedAndSucceeds() {
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("<html><h3>boom</h3></html>"))
                .willSetStateTo("recovered"));
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson(EMPTY_LISTING)));

        XnatResponse response = gateway().call(XnatProjects.LIST);

        assertThat(response.status()).isEqualTo(200);
        xnat.verify(2, getRequestedFor(urlPathEqualTo("/data/projects")));
    }

    @Test
    void aReadThatKeepsFailingStopsAfterThreeAttempts() {
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(aResponse().withStatus(503)));

        XnatResponse response = gateway().call(XnatProjects.LIST);

        assertThat(response.status()).isEqualTo(503);
        xnat.verify(3, getRequestedFor(urlPathEqualTo("/data/projects")));
    }

    @Test
    void aDroppedConnectionOnAReadIsRetried() {
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).inScenario("drop").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("ok"));
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).inScenario("drop").whenScenarioStateIs("ok")
                .willReturn(okJson(EMPTY_LISTING)));

        assertThat(gateway().call(XnatProjects.LIST).status()).isEqualTo(200);
    }

    @Test
    void aCreateIsNeverRetriedOnA500() {
        xnat.stubFor(post("/xapi/users").willReturn(aResponse().withStatus(500)));

        XnatResponse response = gateway().call(CREATE);

        assertThat(response.status()).isEqualTo(500);
        xnat.verify(1, postRequestedFor(urlEqualTo("/xapi/users")));
    }

    @Test
    void aCreateIsNeverRetriedOnADroppedConnection() {
        xnat.stubFor(post("/xapi/users").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> gateway().call(CREATE)).isInstanceOf(XnatFailure.class);
        xnat.verify(1, postRequestedFor(urlEqualTo("/xapi/users")));
    }

    @Test
    void anOpenCircuitAnswers503WithRetryAfterWithoutCallingXnat() {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50)
                .recordResult(new XnatRetryPolicy.ServerError())
                .waitDurationInOpenState(Duration.ofSeconds(30)).build());
        XnatGateway gateway = gateway(breakers, XnatResilienceDefaults.bulkheads());
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(aResponse().withStatus(500)));
        gateway.call(XnatProjects.LIST); // login + 3 failing attempts: the breaker opens
        int before = xnat.getAllServeEvents().size();

        assertThatThrownBy(() -> gateway.call(XnatProjects.LIST)).isInstanceOfSatisfying(XnatFailure.class, e -> {
            assertThat(XnatProblems.of(e).status().value()).isEqualTo(503);
            assertThat(XnatProblems.of(e).code()).isEqualTo("xnat_circuit_open");
            assertThat(XnatProblems.of(e).retryAfter()).isEqualTo(Duration.ofSeconds(30));
        });
        assertThat(xnat.getAllServeEvents()).hasSize(before);
    }

    @Test
    void xnat4xxAnswersNeverOpenTheCircuit() {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50)
                .recordResult(new XnatRetryPolicy.ServerError()).build());
        XnatGateway gateway = gateway(breakers, XnatResilienceDefaults.bulkheads());
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(aResponse().withStatus(404)));

        for (int i = 0; i < 10; i++) {
            assertThat(gateway.call(XnatProjects.LIST).status()).isEqualTo(404);
        }
    }

    @Test
    void aFullBulkheadAnswers503RatherThanPilingUp() throws Exception {
        BulkheadRegistry bulkheads = BulkheadRegistry.of(BulkheadConfig.custom().maxConcurrentCalls(1)
                .maxWaitDuration(Duration.ZERO).build());
        XnatGateway gateway = gateway(XnatResilienceDefaults.breakers(), bulkheads);
        gateway.call(XnatReadiness.BUILD_INFO); // log in first
        xnat.stubFor(get(urlPathEqualTo("/data/projects")).willReturn(okJson(EMPTY_LISTING).withFixedDelay(1_000)));

        CompletableFuture<XnatResponse> slow = CompletableFuture.supplyAsync(() -> gateway.call(XnatProjects.LIST));
        Thread.sleep(300);

        assertThatThrownBy(() -> gateway.call(XnatProjects.LIST)).isInstanceOfSatisfying(XnatFailure.class, e -> {
            assertThat(XnatProblems.of(e).status().value()).isEqualTo(503);
            assertThat(XnatProblems.of(e).code()).isEqualTo("xnat_busy");
        });
        assertThat(slow.get().status()).isEqualTo(200);
    }
}
