package org.flip.imagingapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The OpenAPI document as an admin meets it in Swagger UI: every operation summarised, tagged,
 * secured by the trust key (but health), its identifiers carrying the very patterns the validation
 * uses, and every error documented as an {@code application/problem+json} Problem.
 *
 * <p>Same properties as {@link FailClosedTest} on purpose (one cached context); no key is
 * configured, so the docs answering at all shows the key filter lets them through.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "xnat.url=http://127.0.0.1:9", "xnat.service-user=svc", "xnat.service-password=pw",
        "trust.internal-service.key="})
class OpenApiDocumentTest {

    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final List<String> TAGS =
            List.of("projects", "subjects and experiments", "users", "event subscriptions", "health");
    private static final Map<String, String> PATTERNS = Map.of(
            "projectId", Identifiers.PROJECT_ID,
            "username", Identifiers.USERNAME,
            "idOrLabel", Identifiers.EXPERIMENT);

    @LocalServerPort
    int port;

    private JsonNode document;

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @BeforeEach
    void fetchTheDocumentWithoutAKey() throws Exception {
        HttpResponse<String> response = get("/v3/api-docs");
        assertThat(response.statusCode()).isEqualTo(200);
        document = new ObjectMapper().readTree(response.body());
    }

    /** "GET /projects/{projectId}" → operation. */
    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new TreeMap<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(
                op -> operations.put(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue())));
        return operations;
    }

    private static boolean isHealth(String operation) {
        return operation.equals("GET /health");
    }

    @Test
    void swaggerUiAnswersWithoutAKey() throws Exception {
        HttpResponse<String> response = get("/swagger-ui/index.html");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Swagger UI");
    }

    /**
     * Behind a TLS proxy (here: the test, on loopback, one of the trusted internal addresses) Swagger UI's
     * "Try it out" must call https://, not the plain http:// the proxy forwards to (mixed content).
     */
    @Test
    void theServerUrlFollowsTheForwardedHeadersOfATrustedProxy() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v3/api-docs"))
                        .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "imaging.trust.example")
                        .header("X-Forwarded-Port", "443").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(response.body()).at("/servers/0/url").asText())
                .isEqualTo("https://imaging.trust.example");
        // And without them, the address the request came to.
        assertThat(document.at("/servers/0/url").asText()).isEqualTo("http://localhost:" + port);
    }

    @Test
    void documentsEveryEndpointOfTheContractOnceAndNothingElse() {
        assertThat(operations().keySet()).containsExactlyInAnyOrder(
                "GET /projects", "POST /projects", "GET /projects/{projectId}", "DELETE /projects/{projectId}",
                "GET /projects/central-hub/{centralHubProjectId}",
                "POST /projects/create-project-from-central-hub-project",
                "GET /projects/{projectId}/audit", "POST /projects/{projectId}/audit",
                "GET /projects/central-hub/{centralHubProjectId}/audit",
                "PUT /projects/{projectId}/prearchive-code",
                "GET /projects/{projectId}/subjects", "GET /projects/{projectId}/experiments",
                "GET /projects/{projectId}/experiments/{idOrLabel}",
                "GET /projects/{projectId}/experiment/{idOrLabel}",
                "GET /projects/{projectId}/experiments/{idOrLabel}/subject",
                "GET /users", "POST /users", "PUT /users", "GET /users/{username}",
                "PUT /users/add-to-project/{username}/{projectId}", "POST /projects/{projectId}/users",
                "GET /commands", "GET /projects/{projectId}/event-subscriptions",
                "POST /projects/{projectId}/event-subscriptions",
                "POST /projects/{projectId}/event-subscriptions/{id}/activate",
                "POST /projects/{projectId}/event-subscriptions/{id}/deactivate",
                "DELETE /projects/{projectId}/event-subscriptions/{id}",
                "GET /health");
    }

    @Test
    void everyOperationHasASummaryAUniqueIdAndOneTagOfTheList() {
        Set<String> ids = new java.util.HashSet<>();
        operations().forEach((name, operation) -> {
            assertThat(operation.path("summary").asText()).as(name).isNotBlank();
            assertThat(ids.add(operation.path("operationId").asText())).as("operationId of %s", name).isTrue();
            assertThat(operation.path("operationId").asText()).as(name).doesNotContain("_");
            assertThat(operation.get("tags")).as(name).hasSize(1);
            assertThat(TAGS).as(name).contains(operation.get("tags").get(0).asText());
        });
    }

    @Test
    void theTagsComeInOrderEachWithADescription() {
        List<String> names = new ArrayList<>();
        document.get("tags").forEach(tag -> {
            names.add(tag.get("name").asText());
            assertThat(tag.path("description").asText()).as(tag.toString()).isNotBlank();
        });
        assertThat(names).containsExactlyElementsOf(TAGS);
    }

    @Test
    void everyOperationButHealthNeedsTheTrustKey() {
        JsonNode global = document.get("security");
        operations().forEach((name, operation) -> {
            JsonNode security = operation.has("security") ? operation.get("security") : global;
            if (isHealth(name)) {
                assertThat(security).as(name).isEmpty();
            } else {
                assertThat(security).as(name).hasSize(1);
                assertThat(security.get(0).has("trustKey")).as(name).isTrue();
            }
        });
        assertThat(document.at("/components/securitySchemes/trustKey/type").asText()).isEqualTo("apiKey");
    }

    @Test
    void identifierPathParametersCarryTheValidationPatternsAndExamples() {
        List<String> checked = new ArrayList<>();
        operations().forEach((name, operation) -> operation.path("parameters").forEach(parameter -> {
            if (!parameter.get("in").asText().equals("path")) {
                return;
            }
            String parameterName = parameter.get("name").asText();
            String where = parameterName + " of " + name;
            assertThat(parameter.path("description").asText()).as(where).isNotBlank();
            assertThat(parameter.path("example").asText()).as(where).isNotBlank();
            if (parameterName.equals("centralHubProjectId")) {
                assertThat(parameter.at("/schema/format").asText()).as(where).isEqualTo("uuid");
            } else if (parameterName.equals("id")) {
                // the subscription id the answers carry: an int64 of at least 1
                assertThat(parameter.at("/schema/type").asText()).as(where).isEqualTo("integer");
                assertThat(parameter.at("/schema/format").asText()).as(where).isEqualTo("int64");
                assertThat(parameter.at("/schema/minimum").asInt()).as(where).isEqualTo(1);
                assertThat(parameter.get("example").asLong()).as(where).isPositive();
            } else {
                assertThat(PATTERNS).as(where).containsKey(parameterName);
                assertThat(parameter.at("/schema/pattern").asText()).as(where)
                        .isEqualTo(PATTERNS.get(parameterName));
                assertThat(parameter.path("example").asText()).as(where).matches(PATTERNS.get(parameterName));
            }
            checked.add(where);
        }));
        assertThat(checked).anyMatch(p -> p.startsWith("projectId")).anyMatch(p -> p.startsWith("username"))
                .anyMatch(p -> p.startsWith("idOrLabel")).anyMatch(p -> p.startsWith("id of"));
    }

    @Test
    void everyProtectedOperationDocuments401And502AsProblems() {
        operations().forEach((name, operation) -> {
            if (isHealth(name)) {
                return;
            }
            for (String status : List.of("401", "502", "503", "504", "500")) {
                assertThat(operation.at("/responses/" + status).isMissingNode()).as("%s %s", status, name).isFalse();
            }
        });
    }

    @Test
    void everyErrorResponseIsAProblemJsonWithAnExample() {
        Map<String, Integer> errorResponses = new LinkedHashMap<>();
        operations().forEach((name, operation) -> operation.get("responses").fields().forEachRemaining(response -> {
            if (Integer.parseInt(response.getKey()) < 400) {
                return;
            }
            String where = response.getKey() + " of " + name;
            JsonNode content = response.getValue().get("content");
            assertThat(response.getValue().path("description").asText()).as(where).isNotBlank();
            assertThat(iterable(content.fieldNames())).as(where).containsExactly("application/problem+json");
            JsonNode problem = content.get("application/problem+json");
            assertThat(problem.at("/schema/$ref").asText()).as(where).isEqualTo(PROBLEM_REF);
            problem.get("examples").forEach(example -> {
                assertThat(example.at("/value/status").asInt()).as(where)
                        .isEqualTo(Integer.parseInt(response.getKey()));
                assertThat(example.at("/value/code").asText()).as(where).isNotBlank();
            });
            errorResponses.merge(response.getKey(), 1, Integer::sum);
        }));
        assertThat(errorResponses).containsKeys("400", "401", "404", "409", "413", "422", "500", "502", "503", "504");
    }

    @Test
    void theProblemSchemaHasTheContractMembers() {
        JsonNode problem = document.at("/components/schemas/Problem");

        assertThat(iterable(problem.get("properties").fieldNames()))
                .contains("type", "title", "status", "detail", "instance", "code", "errors");
        assertThat(problem.get("required").toString()).contains("\"code\"");
        assertThat(problem.at("/properties/errors/items/$ref").asText())
                .isEqualTo("#/components/schemas/ProblemFieldError");
        assertThat(iterable(document.at("/components/schemas/ProblemFieldError/properties").fieldNames()))
                .containsExactly("field", "message");
        assertThat(document.at("/components/schemas/ProblemDetail").isMissingNode()).isTrue();
    }

    @Test
    void successStatusesAreTheContractsOnes() {
        Map<String, JsonNode> operations = operations();
        assertThat(successes(operations.get("POST /projects"))).containsExactly("201");
        assertThat(operations.get("POST /projects").at("/responses/201/headers/Location").isMissingNode()).isFalse();
        assertThat(successes(operations.get("POST /users"))).containsExactly("201");
        assertThat(successes(operations.get("POST /projects/create-project-from-central-hub-project")))
                .containsExactly("200", "201");
        assertThat(successes(operations.get("POST /projects/{projectId}/event-subscriptions")))
                .containsExactly("200", "201");
        assertThat(successes(operations.get("DELETE /projects/{projectId}/event-subscriptions/{id}")))
                .containsExactly("204");
        assertThat(successes(operations.get("GET /health"))).containsExactly("200");
        assertThat(operations.get("POST /projects").at("/responses/409").isMissingNode()).isFalse();
        assertThat(operations.get("POST /users").at("/responses/409").isMissingNode()).isFalse();
        assertThat(operations.get("GET /projects").at("/responses/404").isMissingNode()).isTrue();
    }

    @Test
    void theProvisioningOperationHasAnExampleBodyThatPassesItsRules() {
        JsonNode provisioning = operations().get("POST /projects/create-project-from-central-hub-project");
        JsonNode body = provisioning.at("/requestBody/content/application~1json");

        assertThat(body.at("/schema/$ref").asText()).isEqualTo("#/components/schemas/CentralHubProject");
        JsonNode example = body.get("examples").elements().next().get("value");
        assertThat(example.get("project_id").asText()).matches(UUID);
        assertThat(example.get("trust_id").asText()).matches(UUID);
        assertThat(example.get("users")).isNotEmpty();
        assertThat(provisioning.get("description").asText()).contains("UUID v5").contains("200");
    }

    @Test
    void everyRequestBodyHasAnExample() {
        operations().forEach((name, operation) -> {
            JsonNode body = operation.at("/requestBody/content/application~1json");
            if (!body.isMissingNode()) {
                assertThat(body.path("examples").size() + (body.has("example") ? 1 : 0)).as(name).isPositive();
            }
        });
    }

    @Test
    void theRulesThatMatterAreDescribed() {
        Map<String, JsonNode> operations = operations();
        assertThat(operations.get("GET /projects/{projectId}/experiments").get("description").asText())
                .contains("global");
        assertThat(operations.get("DELETE /projects/{projectId}").get("description").asText())
                .contains("DQR").contains("removeFiles=true");
        assertThat(operations.get("POST /projects/{projectId}/event-subscriptions").get("description").asText())
                .contains("Idempotent");
    }

    @Test
    void theServedDocumentIsValidOpenApiInBothFormsAndIsKeptForTheLinter() throws Exception {
        HttpResponse<String> json = get("/v3/api-docs");
        HttpResponse<String> yaml = get("/v3/api-docs.yaml");

        assertThat(yaml.statusCode()).as("the YAML form needs no key either").isEqualTo(200);
        for (String form : List.of(json.body(), yaml.body())) {
            SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(form, null, new ParseOptions());
            assertThat(parsed.getMessages()).as("swagger-parser's findings").isEmpty();
            assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.0");
        }
        // .ci/run lints these with Redocly CLI and the committed ruleset
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/openapi.json"), json.body());
        Files.writeString(Path.of("target/openapi.yaml"), yaml.body());
    }

    @Test
    void everyPublishedPatternRunsAlikeInJavaScriptPythonAndJava() throws Exception {
        Set<String> patterns = new java.util.TreeSet<>();
        collectPatterns(document, patterns);
        assertThat(patterns).contains(Identifiers.PROJECT_ID, Identifiers.EXPERIMENT, Identifiers.USERNAME);

        Map<String, List<Boolean>> inJava = new TreeMap<>();
        for (String pattern : patterns) {
            java.util.regex.Pattern compiled = java.util.regex.Pattern.compile(pattern);
            inJava.put(pattern, RegexEngines.PROBES.stream().map(probe -> compiled.matcher(probe).find()).toList());
        }
        assertThat(RegexEngines.javaScript(patterns)).as("ECMA-262 (node, u flag)").isEqualTo(inJava);
        assertThat(RegexEngines.python(patterns)).as("Python re").isEqualTo(inJava);
    }

    @Test
    void theProblemCodeIsAnEnumOfTheServicesCodes() {
        List<String> codes = new ArrayList<>();
        document.at("/components/schemas/Problem/properties/code/enum").forEach(code -> codes.add(code.asText()));

        assertThat(codes).containsExactlyElementsOf(Problems.CODES);
    }

    @Test
    void everyMemberOfAnAnswerIsRequiredAndNullableOnesSaySo() {
        JsonNode user = document.at("/components/schemas/User");
        assertThat(user.get("required").size()).isEqualTo(user.get("properties").size());
        for (String nullable : List.of("email", "lastModified", "lastSuccessfulLogin")) {
            assertThat(user.at("/properties/" + nullable + "/nullable").asBoolean()).as(nullable).isTrue();
        }
        assertThat(user.at("/properties/username/nullable").asBoolean()).isFalse();
        assertThat(document.at("/components/schemas/PrearchiveCode/properties/code/enum").toString())
                .isEqualTo("[0,4,5]");
        assertThat(document.at("/components/schemas/Problem/properties/instance/format").asText())
                .isEqualTo("uri-reference");
    }

    @Test
    void createdAnswersDeclareTheirLocationAndEveryAnswerTheRequestId() {
        Map<String, JsonNode> operations = operations();
        for (String created : List.of("POST /projects", "POST /users",
                "POST /projects/create-project-from-central-hub-project")) {
            assertThat(operations.get(created).at("/responses/201/headers/Location/schema/type").asText())
                    .as(created).isEqualTo("string");
        }
        operations.forEach((name, operation) -> operation.get("responses").fields().forEachRemaining(response ->
                assertThat(response.getValue().at("/headers/X-Request-ID").isMissingNode())
                        .as("X-Request-ID on %s of %s", response.getKey(), name).isFalse()));
        operations.forEach((name, operation) -> {
            assertThat(operation.at("/responses/406").isMissingNode()).as("406 of %s", name).isFalse();
            if (operation.has("requestBody")) {
                assertThat(operation.at("/responses/415").isMissingNode()).as("415 of %s", name).isFalse();
            }
        });
    }

    @Test
    void a408RequestTimeoutIsDeclaredOnEveryOperationWithABodyAndOnlyThere() {
        // A client too slow sending its body gets 408 request_timeout; an operation without a body cannot.
        Map<String, JsonNode> operations = operations();
        assertThat(operations.values()).anyMatch(operation -> operation.has("requestBody"));
        operations.forEach((name, operation) -> {
            JsonNode timeout = operation.at("/responses/408");
            if (operation.has("requestBody")) {
                assertThat(timeout.isMissingNode()).as("408 of %s", name).isFalse();
                assertThat(timeout.at("/content/application~1problem+json/examples").findValuesAsText("code"))
                        .as("408 of %s", name).containsExactly("request_timeout");
            } else {
                assertThat(timeout.isMissingNode()).as("no 408 on %s", name).isTrue();
            }
        });
    }

    @Test
    void descriptionsAreSelfContained() {
        assertThat(document.toString()).doesNotContain("contract §").doesNotContain("§");
    }

    private static void collectPatterns(JsonNode node, Set<String> patterns) {
        if (node.isObject() && node.path("pattern").isTextual()) {
            patterns.add(node.get("pattern").asText());
        }
        node.forEach(child -> collectPatterns(child, patterns));
    }

    private static final String UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

    private static List<String> successes(JsonNode operation) {
        List<String> codes = new ArrayList<>();
        operation.get("responses").fieldNames().forEachRemaining(code -> {
            if (code.startsWith("2")) {
                codes.add(code);
            }
        });
        return codes.stream().sorted().toList();
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
