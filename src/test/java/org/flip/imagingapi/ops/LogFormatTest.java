package org.flip.imagingapi.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flip.imagingapi.ImagingApiApplication;
import org.junit.jupiter.api.Test;

/**
 * Runs the real application in a child JVM with the environment an operator would set, and reads
 * its whole stdout: a second Spring application in the test JVM would reconfigure the shared
 * logging system under every other test.
 */
class LogFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

    @Test
    void logFormatJsonWritesOneJsonObjectPerLineAndTagsRequestLinesWithTheRequestId() throws Exception {
        List<String> lines = runAndRequest(Map.of("LOG_FORMAT", "json"), "json-log-check-1");

        assertThat(lines).hasSizeGreaterThan(5);
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            try {
                events.add(JSON.readTree(line));
            } catch (IOException e) {
                fail("Not a JSON line: " + line);
            }
        }
        assertThat(events).allSatisfy(event -> {
            assertThat(event.isObject()).isTrue();
            assertThat(event.path("message").isTextual()).isTrue();
            assertThat(event.at("/log/level").isTextual()).isTrue();
        });
        List<JsonNode> requestEvents = events.stream()
                .filter(e -> e.path("message").asText().contains("XNAT is unreachable")).toList();
        assertThat(requestEvents).isNotEmpty()
                .allSatisfy(e -> assertThat(e.path("requestId").asText()).isEqualTo("json-log-check-1"));
        assertThat(events).filteredOn(e -> e.path("message").asText().startsWith("Starting "))
                .allSatisfy(e -> assertThat(e.has("requestId")).isFalse());
    }

    @Test
    void theDefaultHumanFormatShowsTheRequestIdOnTheLinesOfThatRequestOnly() throws Exception {
        List<String> lines = runAndRequest(Map.of(), "text-log-check-2");

        assertThat(lines).noneMatch(line -> line.startsWith("{"));
        assertThat(lines).filteredOn(line -> line.contains("XNAT is unreachable")).isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("[text-log-check-2]"));
        // Two servers: the API's and the management port's.
        assertThat(lines).filteredOn(line -> line.contains("Tomcat started on port")).hasSize(2)
                .allSatisfy(line -> assertThat(line).doesNotContain("[]"));
    }

    /** Starts the app against an XNAT that refuses connections, sends one request, stops it. */
    private static List<String> runAndRequest(Map<String, String> env, String requestId) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), ImagingApiApplication.class.getName(),
                "--server.port=0", "--management.server.port=0", "--xnat.url=http://127.0.0.1:9",
                "--spring.jmx.enabled=false")
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("LOG_") || name.startsWith("XNAT_")
                || name.startsWith("TRUST_") || name.startsWith("LOGGING_") || name.startsWith("MANAGEMENT_"));
        builder.environment().put("XNAT_SERVICE_USER", "log-check");
        builder.environment().put("XNAT_SERVICE_PASSWORD", "log-check-password");
        builder.environment().put("TRUST_INTERNAL_SERVICE_KEY", "log-check-key-7c2e5a9f1d4b8e0a3c6f");
        builder.environment().putAll(env);
        Process process = builder.start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            int port = awaitPort(lines, process);
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/projects"))
                    .header("X-Trust-Internal-Service-Key", "log-check-key-7c2e5a9f1d4b8e0a3c6f")
                    .header("X-Request-ID", requestId)
                    .timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(503);
        } finally {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            reader.join(10_000);
        }
        return List.copyOf(lines);
    }

    /** The API's port: its server starts before the management server (a lower lifecycle phase). */
    private static int awaitPort(List<String> lines, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            synchronized (lines) {
                for (String line : lines) {
                    Matcher m = PORT.matcher(line);
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
            }
            if (!process.isAlive()) {
                fail("The application exited early:\n" + String.join("\n", lines));
            }
            Thread.sleep(200);
        }
        fail("The application did not start within 180 s:\n" + String.join("\n", lines));
        return -1;
    }
}
