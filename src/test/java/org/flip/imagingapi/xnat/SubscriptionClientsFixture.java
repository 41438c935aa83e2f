package org.flip.imagingapi.xnat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import org.flip.imagingapi.config.XnatProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

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
        server.stubFor(post(urlEqualTo("/data/JSESSION"))
                .willReturn(aResponse().withStatus(200).withBody("0123456789ABCDEF0123456789ABCDEF")));
        XnatProperties properties = new XnatProperties(URI.create(server.baseUrl()), "imaging-api", "secret",
                new XnatProperties.Timeouts(Duration.ofSeconds(2), standard, Duration.ofSeconds(8), shortBudget),
                new XnatProperties.Login(Duration.ofSeconds(5), Duration.ofMinutes(30)), Duration.ofSeconds(10), 8,
                DataSize.ofMegabytes(8));
        this.gateway = new XnatGateway(WebClient.builder(), properties, new ObjectMapper(), new SimpleMeterRegistry(),
                XnatResilienceDefaults.retries(), XnatResilienceDefaults.breakers(), XnatResilienceDefaults.bulkheads());
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
