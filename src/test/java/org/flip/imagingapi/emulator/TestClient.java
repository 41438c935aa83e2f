package org.flip.imagingapi.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Minimal HTTP client for the emulator's own tests (Basic or cookie auth, no redirects followed). */
final class TestClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private TestClient(String base) {
        this.base = base;
    }

    static TestClient anonymous(XnatEmulator emu) {
        return new TestClient(emu.baseUrl());
    }

    static TestClient basic(XnatEmulator emu, String user, String password) {
        return anonymous(emu).header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    static TestClient admin(XnatEmulator emu) {
        return basic(emu, XnatEmulator.SERVICE_USER, XnatEmulator.SERVICE_PASSWORD);
    }

    static TestClient cookie(XnatEmulator emu, String sessionId) {
        return anonymous(emu).header("Cookie", "JSESSIONID=" + sessionId);
    }

    TestClient header(String name, String value) {
        TestClient c = new TestClient(base);
        c.headers.putAll(headers);
        c.headers.put(name, value);
        return c;
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null, null);
    }

    HttpResponse<String> delete(String path) {
        return send("DELETE", path, null, null);
    }

    HttpResponse<String> post(String path, String body, String contentType) {
        return send("POST", path, body, contentType);
    }

    HttpResponse<String> put(String path, String body, String contentType) {
        return send("PUT", path, body, contentType);
    }

    HttpResponse<String> postJson(String path, String body) {
        return send("POST", path, body, "application/json");
    }

    HttpResponse<String> putJson(String path, String body) {
        return send("PUT", path, body, "application/json");
    }

    HttpResponse<String> send(String method, String path, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        headers.forEach(b::header);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ResultSet.Result of a /data listing. */
    static JsonNode rows(HttpResponse<String> r) {
        return json(r).path("ResultSet").path("Result");
    }

    static String sessionCookie(HttpResponse<String> r) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring("JSESSIONID=".length(), c.indexOf(';'))).findFirst().orElse(null);
    }
}
