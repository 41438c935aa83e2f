package org.flip.imagingapi;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.client.RestTemplateCustomizer;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Every answer a flow test's {@code TestRestTemplate} receives is checked against the OpenAPI document
 * the running service serves (Atlassian's swagger-request-validator): a status, header or body the
 * document does not declare, a member it does not list, a missing required member or a null where
 * none is allowed fails the test that got it. Answers on paths the document does not hold (actuator,
 * unknown routes) and methods it does not list for a path (the 405 checks) are not checked, nor are
 * answers over {@value #MAX_CHECKED_BODY} bytes (listings of the 10,000-project tests: their items are
 * the items smaller answers already check, and validating them would cost seconds each).
 */
@TestConfiguration(proxyBeanMethods = false)
public class OpenApiResponseValidation {

    @Bean
    RestTemplateCustomizer openApiResponseValidator() {
        return restTemplate -> restTemplate.getInterceptors().add(new Interceptor());
    }

    /**
     * Reads the document and builds its validator as the context starts (springdoc's first document and
     * the validator take seconds), so that no test's timed request pays for them.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> openApiValidatorAtStartUp() {
        return event -> {
            if (event.getApplicationContext() instanceof WebServerApplicationContext web) {
                validatorFor(URI.create("http://localhost:" + web.getWebServer().getPort()));
            }
        };
    }

    static final int MAX_CHECKED_BODY = 256 * 1024;

    /** The document each server (port) serves, and one validator per distinct document (a build takes seconds). */
    private static final Map<String, String> DOCUMENTS = new ConcurrentHashMap<>();
    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();

    static OpenApiInteractionValidator validatorFor(URI server) {
        String base = server.getScheme() + "://" + server.getAuthority();
        // springdoc names the server the request came to; without it, every test context serves one document.
        String document = DOCUMENTS.computeIfAbsent(base, url -> withoutServers(fetch(url + "/v3/api-docs")));
        return VALIDATORS.computeIfAbsent(document, spec -> OpenApiInteractionValidator
                .createForInlineApiSpecification(spec)
                .withResolveRefs(true)
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request.path.missing", ValidationReport.Level.IGNORE)
                        .withLevel("validation.request.operation.notAllowed", ValidationReport.Level.IGNORE)
                        .build())
                .build());
    }

    private static String withoutServers(String document) {
        try {
            ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(document);
            tree.remove("servers");
            return tree.toString();
        } catch (IOException e) {
            throw new IllegalStateException("The served OpenAPI document is not JSON", e);
        }
    }

    private static String fetch(String url) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted reading " + url, e);
        }
    }

    /** The problems the document finds with one answer; empty when it conforms. */
    public static ValidationReport check(URI server, String method, String rawPath, int status,
            HttpHeaders headers, byte[] body) {
        String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1)
                : rawPath; // the service answers /projects/ as /projects
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        headers.forEach((name, values) -> response.withHeader(name, values));
        if (body != null && body.length > 0) {
            response.withBody(new String(body, StandardCharsets.UTF_8));
        }
        return validatorFor(server).validateResponse(path, Request.Method.valueOf(method), response.build());
    }

    static final class Interceptor implements ClientHttpRequestInterceptor {

        @Override
        public ClientHttpResponse intercept(HttpRequest request, byte[] requestBody,
                ClientHttpRequestExecution execution) throws IOException {
            ClientHttpResponse response = execution.execute(request, requestBody);
            byte[] body = response.getBody().readAllBytes();
            if (body.length > MAX_CHECKED_BODY) {
                return new Buffered(response, body);
            }
            ValidationReport report = check(request.getURI(), request.getMethod().name(),
                    request.getURI().getRawPath(), response.getStatusCode().value(), response.getHeaders(), body);
            if (report.hasErrors()) {
                throw new AssertionError("The answer to " + request.getMethod() + " " + request.getURI().getRawPath()
                        + " (HTTP " + response.getStatusCode().value() + ") breaks the OpenAPI document:\n"
                        + report + "\nBody: " + new String(body, StandardCharsets.UTF_8));
            }
            return new Buffered(response, body);
        }
    }

    /** The answer with its body already read. */
    private record Buffered(ClientHttpResponse response, byte[] body) implements ClientHttpResponse {

        @Override
        public HttpStatusCode getStatusCode() throws IOException {
            return response.getStatusCode();
        }

        @Override
        public String getStatusText() throws IOException {
            return response.getStatusText();
        }

        @Override
        public void close() {
            response.close();
        }

        @Override
        public InputStream getBody() {
            return new ByteArrayInputStream(body);
        }

        @Override
        public HttpHeaders getHeaders() {
            return response.getHeaders();
        }
    }
}
