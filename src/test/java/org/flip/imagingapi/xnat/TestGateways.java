package org.flip.imagingapi.xnat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import org.flip.imagingapi.config.XnatProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The one way XNAT-client tests build a real gateway without Spring (session, budgets, retries,
 * error translation) against a WireMock XNAT.
 */
final class TestGateways {

    static final String SESSION_ID = "0123456789ABCDEF0123456789ABCDEF";

    private TestGateways() {
    }

    /** The stub of a successful service-account login. */
    static MappingBuilder acceptingLogin() {
        return post(urlEqualTo("/data/JSESSION")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withBody(SESSION_ID));
    }

    /** Budgets generous enough for a loaded machine: connect 5 s, standard 15 s, slow 20 s, login 15 s. */
    static XnatProperties.Timeouts generousTimeouts() {
        return new XnatProperties.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(20),
                Duration.ofSeconds(15));
    }

    static XnatProperties properties(String baseUrl, XnatProperties.Timeouts timeouts) {
        return properties(baseUrl, "imaging-api", "secret", timeouts,
                new XnatProperties.Login(Duration.ofSeconds(5), Duration.ofMinutes(30)));
    }

    static XnatProperties properties(String baseUrl, String user, String password, XnatProperties.Timeouts timeouts,
            XnatProperties.Login login) {
        return new XnatProperties(URI.create(baseUrl), user, password, timeouts, login, Duration.ofSeconds(10), 32,
                DataSize.ofMegabytes(16));
    }

    static XnatGateway gateway(String baseUrl) {
        return gateway(properties(baseUrl, generousTimeouts()));
    }

    static XnatGateway gateway(XnatProperties properties) {
        return gateway(properties, XnatResilienceDefaults.breakers(), XnatResilienceDefaults.bulkheads());
    }

    static XnatGateway gateway(XnatProperties properties, CircuitBreakerRegistry breakers, BulkheadRegistry bulkheads) {
        return new XnatGateway(WebClient.builder(), properties, new ObjectMapper(), new SimpleMeterRegistry(),
                XnatResilienceDefaults.retries(), breakers, bulkheads);
    }
}
