package org.flip.imagingapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.flip.imagingapi.ImagingApiApplication;
import org.flip.imagingapi.emulator.XnatEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * On SIGTERM (here: closing the context, which the JVM's shutdown hook does) readiness goes DOWN at
 * once, /health and the probes keep answering while the requests in flight finish, the XNAT session
 * is logged out, and nothing is logged as a stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class GracefulShutdownTest {

    static final String KEY = "graceful-shutdown-key-6d2f9b4e1a7c3e8f";
    private final HttpClient http = HttpClient.newHttpClient();
    private XnatEmulator xnat;

    /**
     * A request that takes as long as the caller asks, and says when it started. Not a @Configuration
     * or @Controller: component scanning (which sees the test classes in a plain SpringApplication)
     * must not put it into the demo or other applications.
     */
    static class SlowRequests {

        static volatile CountDownLatch started = new CountDownLatch(1);

        @Bean
        ServletRegistrationBean<HttpServlet> slowServlet() {
            return new ServletRegistrationBean<>(new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                    started.countDown();
                    try {
                        Thread.sleep(Long.parseLong(request.getParameter("millis")));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    response.getWriter().write("done");
                }
            }, "/test/slow");
        }
    }

    @AfterEach
    void stopXnat() {
        if (xnat != null) {
            xnat.close();
        }
    }

    private ConfigurableApplicationContext start(String... extra) {
        xnat = XnatEmulator.start();
        xnat.seedDemo();
        SlowRequests.started = new CountDownLatch(1);
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
                "--xnat.url=" + xnat.baseUrl(), "--xnat.service-user=" + XnatEmulator.SERVICE_USER,
                "--xnat.service-password=" + XnatEmulator.SERVICE_PASSWORD, "--trust.internal-service.key=" + KEY,
                "--spring.main.banner-mode=off", "--spring.jmx.enabled=false",
                // Readiness reflects the application's own state only (the emulator is always up).
                "--management.endpoint.health.group.readiness.include=readinessState"));
        args.addAll(List.of(extra));
        return new SpringApplication(ImagingApiApplication.class, SlowRequests.class).run(args.toArray(String[]::new));
    }

    private static int apiPort(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static int managementPort(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
    }

    private int status(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("X-Trust-Internal-Service-Key", KEY).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private CompletableFuture<HttpResponse<String>> slowRequest(int port, long millis) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/test/slow?millis=" + millis))
                .header("X-Trust-Internal-Service-Key", KEY).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestInFlightFinishesWhileReadinessIsDownAndHealthStillAnswers(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext context = start("--imaging-api.shutdown.drain-timeout=20s");
        int api = apiPort(context);
        int management = managementPort(context);
        assertThat(status(management, "/actuator/health/readiness")).isEqualTo(200);
        assertThat(status(api, "/projects")).as("a call that opens an XNAT session").isEqualTo(200);
        assertThat(xnat.activeSessions()).isEqualTo(1);

        CompletableFuture<HttpResponse<String>> inFlight = slowRequest(api, 3_000);
        assertThat(SlowRequests.started.await(10, TimeUnit.SECONDS)).isTrue();
        long closing = System.nanoTime();
        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(context::close);

        // While it drains: readiness DOWN on the management port, /health still 200 on the API port.
        int readiness = -1;
        for (int i = 0; i < 40 && readiness != 503; i++) {
            readiness = status(management, "/actuator/health/readiness");
            Thread.sleep(50);
        }
        assertThat(readiness).isEqualTo(503);
        assertThat(status(management, "/actuator/health/liveness")).isEqualTo(200);
        assertThat(status(api, "/health")).isEqualTo(200);
        assertThat(inFlight).isNotDone();

        HttpResponse<String> answer = inFlight.get(20, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("done");
        shutdown.get(20, TimeUnit.SECONDS);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);

        // Waited for the request, not for the whole drain timeout.
        assertThat(tookMillis).isBetween(2_500L, 12_000L);
        assertThat(xnat.activeSessions()).as("the XNAT session was logged out").isZero();
        assertThat(output.getAll()).contains("No request in flight; stopping the servers")
                .contains("Logged out of XNAT (HTTP 200)")
                .doesNotContain("Force-closing").doesNotContain("RejectedExecutionException")
                .doesNotContainPattern("(?m)^\\s+at (io\\.netty|reactor|org\\.springframework)");
    }

    @Test
    void aRequestThatOutlivesTheDrainTimeoutDoesNotHoldTheProcess(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext context = start("--imaging-api.shutdown.drain-timeout=1s",
                "--spring.lifecycle.timeout-per-shutdown-phase=1s");
        int api = apiPort(context);

        slowRequest(api, 30_000);
        assertThat(SlowRequests.started.await(10, TimeUnit.SECONDS)).isTrue();
        long closing = System.nanoTime();
        context.close();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);

        // drain-timeout + the server's graceful phase + the management server's, and some slack; never 30 s.
        assertThat(tookMillis).isLessThan(10_000L);
        assertThat(output.getAll()).contains("1 request(s) still in flight after 1000 ms");
    }
}
