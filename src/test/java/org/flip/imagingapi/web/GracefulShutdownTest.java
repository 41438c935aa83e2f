package org.flip.imagingapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.flip.imagingapi.ImagingApiApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/** On shutdown, readiness goes down before the web server drains and stops. */
class GracefulShutdownTest {

    @Test
    void readinessRefusesTrafficBeforeTheServerStops() {
        List<String> events = new CopyOnWriteArrayList<>();
        int[] port = new int[1];
        SpringApplication application = new SpringApplication(ImagingApiApplication.class);
        application.addListeners(event -> {
            if (event instanceof AvailabilityChangeEvent<?> change && change.getState() instanceof ReadinessState r) {
                events.add("readiness " + r);
                if (r == ReadinessState.REFUSING_TRAFFIC) {
                    // The server still answers, and says it is not ready.
                    events.add("readiness probe " + probe(port[0]));
                }
            } else if (event instanceof ContextClosedEvent) {
                events.add("closing");
            }
        });
        ConfigurableApplicationContext context = application.run("--server.port=0", "--xnat.url=http://127.0.0.1:9",
                "--xnat.service-user=svc", "--xnat.service-password=pw", "--trust.internal-service.key=k",
                "--spring.main.banner-mode=off",
                // Readiness reflects only the application's own state here (no XNAT in this test).
                "--management.endpoint.health.group.readiness.include=readinessState");
        WebServerApplicationContext web = (WebServerApplicationContext) context;
        port[0] = web.getWebServer().getPort();
        assertThat(probe(port[0])).isEqualTo(200);
        assertThat(context.getEnvironment().getProperty("server.shutdown")).isEqualTo("graceful");

        context.close();

        assertThat(events).containsSubsequence("readiness ACCEPTING_TRAFFIC", "closing", "readiness REFUSING_TRAFFIC",
                "readiness probe 503");
    }

    private static int probe(int port) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + port + "/actuator/health/readiness")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
