package org.flip.imagingapi.xnat;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import org.flip.imagingapi.config.XnatProperties;

/** A WireMock XNAT that accepts the service account's login, and a gateway pointed at it. */
final class UsersWireMock {

    private UsersWireMock() {
    }

    static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().dynamicPort());
        server.start();
        server.stubFor(TestGateways.acceptingLogin());
        return server;
    }

    static XnatGateway gateway(WireMockServer server) {
        return TestGateways.gateway(TestGateways.properties(server.baseUrl(), new XnatProperties.Timeouts(
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10))));
    }
}
