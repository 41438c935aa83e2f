package org.flip.imagingapi.xnat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import org.flip.imagingapi.config.XnatProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

/** A WireMock XNAT that accepts the service account's login, and a gateway pointed at it. */
final class UsersWireMock {

    private UsersWireMock() {
    }

    static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().dynamicPort());
        server.start();
        server.stubFor(post(urlEqualTo("/data/JSESSION"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain")
                        .withBody("0123456789ABCDEF0123456789ABCDEF")));
        return server;
    }

    static XnatGateway gateway(WireMockServer server) {
        XnatProperties properties = new XnatProperties(URI.create(server.baseUrl()), "imaging-api", "secret",
                new XnatProperties.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10),
                        Duration.ofSeconds(10)),
                new XnatProperties.Login(Duration.ofMillis(10), Duration.ofMillis(100)), Duration.ofSeconds(1), 4,
                DataSize.ofMegabytes(1));
        return new XnatGateway(WebClient.builder(), properties, new ObjectMapper(), new SimpleMeterRegistry(),
                XnatResilienceDefaults.retries(), XnatResilienceDefaults.breakers(), XnatResilienceDefaults.bulkheads());
    }
}
