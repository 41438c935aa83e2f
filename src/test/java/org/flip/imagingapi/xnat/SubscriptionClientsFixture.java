package org.flip.imagingapi.xnat;


import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import org.flip.imagingapi.config.XnatProperties;

/**
 * The XNAT clients of the subscription feature wired to a WireMock server without Spring: a real
 * gateway (session, budgets, error translation), a fake XNAT.
 */
public final class SubscriptionClientsFixture {

    public static final Duration STANDARD_BUDGET = Duration.ofSeconds(5);
    public static final Duration SHORT_BUDGET = Duration.ofSeconds(3);

    private final XnatGateway gateway;

    public SubscriptionClientsFixture(WireMockServer server) {
        this(server, STANDARD_BUDGET, SHORT_BUDGET);
    }

    private SubscriptionClientsFixture(WireMockServer server, Duration standard, Duration shortBudget) {
        server.stubFor(TestGateways.acceptingLogin());
        this.gateway = TestGateways.gateway(TestGateways.properties(server.baseUrl(),
                new XnatProperties.Timeouts(Duration.ofSeconds(2), standard, Duration.ofSeconds(8), shortBudget)));
    }

    /**
     * The first call in a JVM loads Netty and Reactor, which on a busy machine takes longer than the
     * short test budgets; one untimed call first keeps the budgets meaningful.
     */
    public static void warmUp(WireMockServer server) {
        new SubscriptionClientsFixture(server, Duration.ofSeconds(60), Duration.ofSeconds(60)).commands().registry();
        server.resetAll();
    }

    public XnatCommands commands() {
        return new XnatCommands(gateway);
    }

    public XnatEventSubscriptions eventSubscriptions() {
        return new XnatEventSubscriptions(gateway);
    }
}
