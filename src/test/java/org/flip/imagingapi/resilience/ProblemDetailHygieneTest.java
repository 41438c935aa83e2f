package org.flip.imagingapi.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 13 item 8: whatever XNAT does (breaks the connection, says nothing, times out, answers a
 * Tomcat or nginx error page, a body that names Java exceptions, rejects the login), no problem
 * detail or title we send names a Java class or a server banner. Each way XNAT fails is driven
 * through several endpoints that reach different XNAT calls.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "xnat.timeouts.connect=1s",
        "xnat.timeouts.standard=1200ms",
        "xnat.timeouts.slow=1200ms",
        "xnat.timeouts.login=1200ms"})
class ProblemDetailHygieneTest {

    @RegisterExtension
    static WireMockExtension xnat = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String KEY = "test-trust-key-5f0c2a9e4b7d1e3c8a6f";

    /** A qualified class name ({@code java.lang.NullPointerException}, {@code org.nrg.xft.XFTItem}). */
    static final Pattern QUALIFIED_CLASS = Pattern.compile("\\b[a-z]+(\\.[a-z0-9_]+)+\\.[A-Z]\\w*");
    /** A simple exception or error class name ({@code NullPointerException}, {@code StackOverflowError}). */
    static final Pattern EXCEPTION_NAME = Pattern.compile("\\w+(Exception|Error)\\b");
    static final Pattern BANNER = Pattern.compile("Apache Tomcat|Tomcat/|Apache/|nginx/|nginx\\b|Jetty|Server:|Coyote",
            Pattern.CASE_INSENSITIVE);

    static final String TOMCAT_500 = "<!doctype html><html lang=\"en\"><head><title>HTTP Status 500 \u2013 Internal "
            + "Server Error</title><style type=\"text/css\">body {font-family:Tahoma,Arial,sans-serif;}</style></head>"
            + "<body><h1>HTTP Status 500 \u2013 Internal Server Error</h1><hr class=\"line\" /><p><b>Type</b> "
            + "Exception Report</p><p><b>Message</b> Request processing failed; nested exception is "
            + "java.lang.NullPointerException</p><p><b>Description</b> The server encountered an unexpected "
            + "condition that prevented it from fulfilling the request.</p><p><b>Exception</b></p><pre>"
            + "org.springframework.web.util.NestedServletException: Request processing failed; nested exception is "
            + "java.lang.NullPointerException\n\torg.springframework.web.servlet.FrameworkServlet.processRequest("
            + "FrameworkServlet.java:1014)\n\torg.nrg.xnat.security.XnatExpiredPasswordFilter.doFilter("
            + "XnatExpiredPasswordFilter.java:172)\n</pre><p><b>Root Cause</b></p><pre>java.lang.NullPointerException"
            + "\n\tat org.nrg.xnat.restlet.resources.ProjectResource.handleGet(ProjectResource.java:88)\n</pre>"
            + "<p><b>Note</b> The full stack trace of the root cause is available in the server logs.</p>"
            + "<hr class=\"line\" /><h3>Apache Tomcat/9.0.108</h3></body></html>";

    static String tomcat(int status, String reason, String message) {
        return "<!doctype html><html lang=\"en\"><head><title>HTTP Status " + status + " \u2013 " + reason
                + "</title></head><body><h1>HTTP Status " + status + " \u2013 " + reason + "</h1><hr class=\"line\" />"
                + "<p><b>Type</b> Status Report</p>" + (message == null ? "" : "<p><b>Message</b> " + message + "</p>")
                + "<p><b>Description</b> The origin server did not find a current representation for the target "
                + "resource.</p><hr class=\"line\" /><h3>Apache Tomcat/9.0.108</h3></body></html>";
    }

    static final String NGINX_502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 "
            + "Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n";
    static final String JETTY_503 = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html;charset=utf-8\"/>"
            + "<title>Error 503 Service Unavailable</title></head><body><h2>HTTP ERROR 503 Service Unavailable</h2>"
            + "<table><tr><th>URI:</th><td>/data/projects</td></tr><tr><th>STATUS:</th><td>503</td></tr></table>"
            + "<hr/><a href=\"https://eclipse.org/jetty\">Powered by Jetty:// 9.4.51.v20230217</a><hr/></body></html>";
    static final String APACHE_HTTPD_503 = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n"
            + "<title>503 Service Unavailable</title>\n</head><body>\n<h1>Service Unavailable</h1>\n<p>The server is "
            + "temporarily unable to service your request.</p>\n<hr>\n<address>Apache/2.4.58 (Ubuntu) Server at "
            + "xnat.example.org Port 443</address>\n</body></html>\n";

    /** One way XNAT fails: what WireMock answers to every call but the login (or to the login). */
    enum Failure {
        CONNECTION_RESET(() -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
        CLOSED_BEFORE_ANSWERING(() -> aResponse().withFault(Fault.EMPTY_RESPONSE)),
        GARBAGE_THEN_CLOSE(() -> aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)),
        BROKEN_CHUNK(() -> aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)),
        READ_TIMEOUT(() -> aResponse().withStatus(200).withFixedDelay(2500).withBody("[]")),
        TOMCAT_500_WITH_STACK_TRACE(() -> html(500, TOMCAT_500)),
        TOMCAT_404(() -> html(404, tomcat(404, "Not Found", "/xnat/data/projects"))),
        TOMCAT_403(() -> html(403, tomcat(403, "Forbidden", "Access to the specified resource has been forbidden."))),
        TOMCAT_401_EVERY_TIME(() -> html(401, tomcat(401, "Unauthorized", null))),
        TOMCAT_409(() -> html(409, tomcat(409, "Conflict", "org.nrg.xdat.exceptions.ResourceAlreadyExistsException"))),
        NGINX_502(() -> html(502, ProblemDetailHygieneTest.NGINX_502)),
        JETTY_503(() -> html(503, ProblemDetailHygieneTest.JETTY_503)),
        APACHE_HTTPD_503(() -> html(503, ProblemDetailHygieneTest.APACHE_HTTPD_503)),
        TOMCAT_PAGE_ON_200(() -> html(200, TOMCAT_500)),
        JSON_500_NAMING_EXCEPTIONS(() -> aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                .withBody("{\"timestamp\":\"2026-12-01T10:00:00.000+00:00\",\"status\":500,\"error\":\"Internal Server "
                        + "Error\",\"exception\":\"java.lang.IllegalStateException\",\"message\":\"org.nrg.xft.exception"
                        + ".ElementNotFoundException: no such element\",\"trace\":\"java.lang.IllegalStateException\\n"
                        + "\\tat org.nrg.xapi.rest.AbstractXapiRestController.getUser(AbstractXapiRestController.java:62)"
                        + "\",\"path\":\"/xapi/users\"}")),
        TEXT_500_NAMING_EXCEPTIONS(() -> aResponse().withStatus(500).withHeader("Content-Type", "text/plain")
                .withBody("There was an error in the request : java.lang.NullPointerException: Cannot invoke "
                        + "\"org.nrg.xft.XFTItem.getProperty(String)\" because \"item\" is null")),
        TEXT_400_NAMING_EXCEPTIONS(() -> aResponse().withStatus(400).withHeader("Content-Type", "text/plain")
                .withBody("JSON parse error: Cannot deserialize value; nested exception is "
                        + "com.fasterxml.jackson.databind.exc.MismatchedInputException: ... a NullPointerException "
                        + "and a StackOverflowError were thrown")),
        TEXT_500_WITH_SERVER_HEADER_LINE(() -> aResponse().withStatus(500).withHeader("Content-Type", "text/plain")
                .withHeader("Server", "Apache-Coyote/1.1")
                .withBody("Server: Apache-Coyote/1.1\nX-Powered-By: Servlet/4.0 JSP/2.3 (Apache Tomcat/9.0.108 Java/"
                        + "Eclipse Adoptium-17.0.9)\nsomething failed")),
        // The session expires (Tomcat's 401), and the new login fails.
        LOGIN_500_TOMCAT(() -> html(401, tomcat(401, "Unauthorized", null)), () -> html(500, TOMCAT_500)),
        LOGIN_401_TOMCAT(() -> html(401, tomcat(401, "Unauthorized", null)), () -> html(401, tomcat(401, "Unauthorized", "Your login attempt failed because the "
                + "username and password combination you provided was invalid"))),
        ;

        final Supplier<ResponseDefinitionBuilder> call;
        final Supplier<ResponseDefinitionBuilder> login;

        Failure(Supplier<ResponseDefinitionBuilder> call) {
            this(call, null);
        }

        Failure(Supplier<ResponseDefinitionBuilder> call, Supplier<ResponseDefinitionBuilder> login) {
            this.call = call;
            this.login = login;
        }
    }

    static ResponseDefinitionBuilder html(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/html;charset=utf-8")
                .withHeader("Server", "Apache-Coyote/1.1").withBody(body);
    }

    /** A request of ours and its body. */
    record Endpoint(String method, String path, String body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static List<Endpoint> endpoints() {
        String fresh = "hy" + UUID.randomUUID().toString().substring(0, 8);
        return List.of(
                new Endpoint("GET", "/projects", null),
                new Endpoint("GET", "/projects/P1", null),
                new Endpoint("GET", "/projects/P1/experiments", null),
                new Endpoint("GET", "/users", null),
                new Endpoint("POST", "/users", "{\"username\":\"" + fresh + "\",\"password\":\"Secret-" + fresh
                        + "\",\"email\":\"" + fresh + "@hospital.example.org\",\"firstName\":\"A\",\"lastName\":\"B\"}"),
                new Endpoint("POST", "/projects", "{\"id\":\"" + fresh.toUpperCase() + "\",\"secondary_id\":\"sec-"
                        + fresh + "\",\"name\":\"Hygiene " + fresh + "\"}"),
                new Endpoint("GET", "/commands?image=ghcr.io/londonaicentre/xnat-dcm2niix:v1.0.20260724", null),
                new Endpoint("GET", "/projects/P1/event-subscriptions", null),
                new Endpoint("DELETE", "/projects/P1", null),
                new Endpoint("POST", "/projects/create-project-from-central-hub-project", "{\"project_id\":\""
                        + UUID.randomUUID() + "\",\"trust_id\":\"" + UUID.randomUUID() + "\",\"project_name\":\"Hygiene\","
                        + "\"users\":[{\"id\":\"" + UUID.randomUUID() + "\",\"email\":\"" + fresh
                        + "@hospital.example.org\"}],\"dicom_to_nifti\":true}"));
    }

    /** The login rejections come last: they start the login back-off, which outlives the cell. */
    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (Failure failure : Failure.values()) {
            for (Endpoint endpoint : endpoints()) {
                cells.add(Arguments.of(failure, endpoint));
            }
        }
        return cells.stream();
    }

    @LocalServerPort
    int port;

    @Autowired
    CircuitBreakerRegistry breakers;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @DynamicPropertySource
    static void xnatProperties(DynamicPropertyRegistry registry) {
        registry.add("xnat.url", xnat::baseUrl);
        registry.add("xnat.service-user", () -> "svc");
        registry.add("xnat.service-password", () -> "pw");
        registry.add("trust.internal-service.key", () -> KEY);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cells")
    void noDetailNamesAJavaClassOrAServer(Failure failure, Endpoint endpoint) throws Exception {
        breakers.circuitBreaker("xnat").reset(); // every cell reaches XNAT, none sees an open circuit
        xnat.resetAll();
        xnat.stubFor(post(urlPathEqualTo("/data/JSESSION")).atPriority(1).willReturn(failure.login != null
                ? failure.login.get() : aResponse().withBody("0123456789ABCDEF0123456789ABCDEF")));
        xnat.stubFor(any(anyUrl()).atPriority(5).willReturn(failure.call != null ? failure.call.get()
                : aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"ResultSet\":{\"Result\":[]}}")));

        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + endpoint.path()))
                .header("X-Trust-Internal-Service-Key", KEY)
                .method(endpoint.method(), endpoint.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(endpoint.body()));
        if (endpoint.body() != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

        String cell = failure + " on " + endpoint + ": HTTP " + response.statusCode() + " " + response.body();
        assertThat(response.statusCode()).as(cell).isGreaterThanOrEqualTo(400);
        JsonNode problem = json.readTree(response.body());
        String detail = problem.path("detail").asText();
        assertThat(detail).as(cell).isNotBlank();
        for (String text : List.of(detail, problem.path("title").asText())) {
            assertClean(text, cell);
        }
    }

    static void assertClean(String text, String cell) {
        assertThat(QUALIFIED_CLASS.matcher(text).find()).as("a class name in %s", cell).isFalse();
        assertThat(EXCEPTION_NAME.matcher(text).find()).as("an exception name in %s", cell).isFalse();
        assertThat(BANNER.matcher(text).find()).as("a server banner in %s", cell).isFalse();
    }
}
