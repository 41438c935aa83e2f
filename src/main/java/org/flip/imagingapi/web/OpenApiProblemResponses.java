package org.flip.imagingapi.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Finishes the OpenAPI document: the operations' long descriptions and examples
 * ({@link OpenApiOperationDocs}), the error responses every operation can give as
 * {@code application/problem+json} with one shared {@value #PROBLEM} schema, the request id header on
 * every operation and answer, the tags in a fixed order with their descriptions, descriptions and demo
 * examples of the identifier path parameters, no security on the open routes, every member of an answer
 * marked required (the service writes null members too), and only patterns that ECMA-262 and Python
 * can run.
 *
 * <p>springdoc labels {@code ProblemDetail} responses {@code application/json} and knows nothing of
 * our {@code code} and {@code errors} members (springdoc-openapi#2963), hence the explicit schema.
 * Success responses and operation-specific errors (a 409, a particular 404) stay on the controllers; an
 * error status a controller declares gets its description kept and the problem content added here.
 */
@Component
class OpenApiProblemResponses implements OpenApiCustomizer {

    static final String PROBLEM = "Problem";
    static final String FIELD_ERROR = "ProblemFieldError";
    static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;
    static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    static final String REQUEST_ID = RequestIdFilter.HEADER;

    /** The tags of the document, in the order Swagger UI shows them. */
    static final Map<String, String> TAGS = tags();

    private static Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("projects", "XNAT projects: list, look up (also by Central Hub project id), create, delete, set the "
                + "prearchive code, and provision a Central Hub project in one idempotent call.");
        tags.put("subjects and experiments", "A project's subjects and imaging sessions (experiments), read from "
                + "XNAT. An experiment is found by its XNAT ID or its label, and only in the project named.");
        tags.put("users", "XNAT accounts for Central Hub users and their project membership. New accounts get a "
                + "random password that is never shown; their owners set their own through the encrypted "
                + "invitation path.");
        tags.put("event subscriptions", "The dcm2niix container command registered in XNAT and the per-project "
                + "event subscriptions that run it on every new DICOM scan.");
        tags.put("health", "Liveness for callers of the reference service; needs no key and never calls XNAT. "
                + "Operations use /actuator/health/liveness and /readiness on the management port.");
        return Collections.unmodifiableMap(tags);
    }

    /**
     * Description, demo example (it exists in the demo's data, so Swagger UI's "Try it out" answers 200)
     * and an invalid value of each identifier path parameter. Operations that must not touch the demo
     * data (deletes) name their own examples in {@code openapi/operations.yaml}.
     */
    private record PathParameter(String description, Object example, String invalid, String rule) {
    }

    private static final Map<String, PathParameter> PATH_PARAMETERS = Map.of(
            "projectId", new PathParameter("XNAT project ID: 1-64 letters, digits, '_' or '-'", "NEURO_MRI_2024",
                    "bad.id", Identifiers.PROJECT_ID_MESSAGE),
            "centralHubProjectId", new PathParameter("Central Hub project id (a UUID), stored as the XNAT "
                    + "project's secondary_ID", "7e9c1d2a-3b4c-4d5e-8f6a-9b0c1d2e3f4a", "not-a-uuid", "must be a UUID"),
            "idOrLabel", new PathParameter("Experiment: its XNAT ID or its label in the project (1-255 of "
                    + "A-Z a-z 0-9 . _ ~ -, not '.' or '..')", "MR_SUBJ001_01", "..", Identifiers.EXPERIMENT_MESSAGE),
            "username", new PathParameter("XNAT username (a letter first; at most 64 of A-Z a-z 0-9 _ ' . -)",
                    "jsmith", "9lives", Identifiers.USERNAME_MESSAGE),
            "id", new PathParameter("Subscription id, as XNAT numbers them", 1L, "0",
                    Identifiers.POSITIVE_INTEGER_MESSAGE));

    private record Standard(String description, String code, String detail) {
    }

    /** The error answers every operation can give, with details as the service words them. */
    private static final Map<Integer, Standard> STANDARD = Map.ofEntries(
            Map.entry(400, new Standard("Malformed request: the JSON body cannot be read, a value has the wrong "
                    + "JSON type, or the path carries ';' parameters.", "malformed_request",
                    "The request body could not be read as the expected JSON.")),
            Map.entry(401, new Standard("The trust's internal service key is missing or wrong (or none is "
                    + "configured). No XNAT call was made.", "unauthorized",
                    "Not authenticated: trust-internal service key is missing.")),
            Map.entry(404, new Standard("Not found in XNAT (the project, experiment, user or subscription named "
                    + "in the path).", "not_found", "Project with ID 'NO_SUCH_PROJECT' not found.")),
            Map.entry(405, new Standard("The path does not take this method; Allow lists those it takes.",
                    "method_not_allowed", "The method PATCH is not allowed on this path.")),
            Map.entry(406, new Standard("The Accept header admits neither application/json nor "
                    + "application/problem+json.", "not_acceptable", "This API answers only application/json.")),
            Map.entry(408, new Standard("The request body did not arrive in time (imaging-api.request-body-timeout, "
                    + "10 s by default): the client sent it too slowly or stopped. Nothing was sent to XNAT.",
                    "request_timeout", "The request body did not arrive in time.")),
            Map.entry(409, new Standard("Already exists.", "conflict", "Already exists.")),
            Map.entry(413, new Standard("The request body is larger than imaging-api.max-request-body (1 MB).",
                    "payload_too_large", "The request body is larger than this service accepts (1048576 bytes).")),
            Map.entry(415, new Standard("The request body is not application/json.", "unsupported_media_type",
                    "The request body must be application/json.")),
            Map.entry(422, new Standard("The request breaks a rule (an identifier's syntax, a missing field, a bad "
                    + "e-mail); 'errors' names each field. Nothing was sent to XNAT.", "validation_failed", null)),
            Map.entry(500, new Standard("Unexpected failure inside imaging-api; the log has the details.",
                    "internal_error", "Internal server error")),
            Map.entry(502, new Standard("XNAT answered with an error or an unusable body (any XNAT 5xx, XNAT "
                    + "401/403 for the service account, HTML where JSON was expected). The detail names the XNAT "
                    + "operation and status.", "xnat_error", "XNAT project listing answered an HTML page where JSON "
                    + "was expected (HTTP 502)")),
            Map.entry(503, new Standard("XNAT is unreachable, busy, or the circuit to it is open (retry after "
                    + "Retry-After seconds), or the service is shutting down (code shutting_down).", "xnat_unavailable",
                    "XNAT is unreachable (project listing): the connection was refused.")),
            Map.entry(504, new Standard("XNAT did not answer within the operation's time budget.", "xnat_timeout",
                    "XNAT did not answer project listing within 10000 ms.")));

    private final OpenApiOperationDocs docs;

    OpenApiProblemResponses(OpenApiOperationDocs docs) {
        this.docs = docs;
    }

    @Override
    public void customise(OpenAPI openApi) {
        docs.apply(openApi);
        openApi.getComponents().addSchemas(FIELD_ERROR, fieldErrorSchema());
        openApi.getComponents().addSchemas(PROBLEM, problemSchema());
        openApi.getComponents().addHeaders(REQUEST_ID, new Header().description("The request's id, echoed when "
                + "the caller sent a usable one (1-64 of A-Z a-z 0-9 . _ : -), generated otherwise; it is in "
                + "every log line of the request and forwarded to XNAT").schema(new StringSchema()));
        openApi.setTags(TAGS.entrySet().stream()
                .map(tag -> new Tag().name(tag.getKey()).description(tag.getValue())).toList());
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            boolean open = InternalKeyFilter.isOpen(path);
            if (open) {
                operation.setSecurity(List.of());
            }
            describePathParameters(operation);
            if (path.contains("/experiment/")) {
                operation.setDescription(join(operation.getDescription(),
                        "The reference's singular path, kept for its callers; same as /experiments/{idOrLabel}."));
            }
            // springdoc numbers the ids of a method mapped to two paths; the alias gets a name of its own.
            String id = operation.getOperationId().replaceFirst("_\\d+$", "");
            operation.setOperationId(path.contains("/experiment/") ? id + "SingularPath" : id);
            operation.addParametersItem(new Parameter().in("header").name(REQUEST_ID).required(false)
                    .description("Correlation id of the request; one that is not 1-64 of A-Z a-z 0-9 . _ : - is "
                            + "replaced by a generated one").schema(new StringSchema()));
            addProblemResponses(path, operation, open);
            operation.getResponses().values().forEach(response -> response.addHeaderObject(REQUEST_ID,
                    new Header().$ref("#/components/headers/" + REQUEST_ID)));
        }));
        Schema<?> health = openApi.getComponents().getSchemas().get("Health");
        if (health != null) {
            Map<String, Object> example = new LinkedHashMap<>();
            example.put("status", "ok");
            example.put("version", openApi.getInfo().getVersion());
            health.setExample(example);
        }
        AnswerSchemas.markEveryMemberRequired(openApi);
        PortablePatterns.keepOnlyPortable(openApi);
        removeUnusedSchemas(openApi);
    }

    /** Schemas only replaced responses used (ProblemDetail, JsonNode). */
    @SuppressWarnings("rawtypes")
    private static void removeUnusedSchemas(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        boolean removed = true;
        while (removed) {
            String document;
            try {
                document = Json.mapper().writeValueAsString(openApi);
            } catch (JsonProcessingException e) {
                return;
            }
            removed = schemas.keySet().removeIf(name -> !document.contains("\"#/components/schemas/" + name + "\""));
        }
    }

    private static void describePathParameters(Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        for (Parameter parameter : operation.getParameters()) {
            PathParameter known = PATH_PARAMETERS.get(parameter.getName());
            if (!"path".equals(parameter.getIn()) || known == null) {
                continue;
            }
            if (parameter.getDescription() == null) {
                parameter.setDescription(known.description());
            }
            if (parameter.getExample() == null) {
                parameter.setExample(known.example());
            }
        }
    }

    private static void addProblemResponses(String path, Operation operation, boolean open) {
        ApiResponses responses = operation.getResponses();
        List<Integer> statuses = new ArrayList<>(List.of(405, 406, 500));
        if (!open) {
            boolean hasBody = operation.getRequestBody() != null;
            boolean hasPathParameters = pathParameters(operation).findAny().isPresent();
            boolean hasInput = hasBody
                    || operation.getParameters().stream().anyMatch(p -> !REQUEST_ID.equals(p.getName()));
            statuses.addAll(List.of(400, 401, 502, 503, 504));
            if (hasPathParameters) {
                statuses.add(404);
            }
            if (hasBody) {
                // 408: a client too slow sending its body (RequestSizeLimitFilter, Tomcat's read timeout)
                statuses.addAll(List.of(408, 413, 415));
            }
            if (hasInput) {
                statuses.add(422);
            }
        }
        for (int status : statuses) {
            responses.putIfAbsent(Integer.toString(status), new ApiResponse());
        }
        // Every error response, standard or declared by a controller, gets the problem content.
        Map<String, ApiResponse> sorted = new TreeMap<>(responses);
        responses.clear();
        sorted.forEach((status, response) -> {
            int code = Integer.parseInt(status);
            if (code >= 400) {
                Standard standard = STANDARD.getOrDefault(code, new Standard("Error", "bad_request", "Error"));
                if (response.getDescription() == null || response.getDescription().isBlank()
                        || response.getDescription().equals(HttpStatus.valueOf(code).getReasonPhrase())) {
                    response.setDescription(standard.description());
                }
                MediaType problem = response.getContent() == null ? null : response.getContent().get(PROBLEM_JSON);
                if (problem == null) {
                    problem = new MediaType();
                }
                problem.setSchema(new Schema<>().$ref(PROBLEM_REF));
                if (problem.getExamples() == null || problem.getExamples().isEmpty()) {
                    problem.addExamples(standard.code(), new Example().value(example(path, operation, code, standard)));
                }
                response.setContent(new Content().addMediaType(PROBLEM_JSON, problem));
                if (code == 503) {
                    response.addHeaderObject("Retry-After", new Header()
                            .description("Seconds to wait before retrying").schema(new IntegerSchema()));
                }
                if (code == 405) {
                    response.addHeaderObject("Allow", new Header()
                            .description("The methods the path takes").schema(new StringSchema()));
                }
            }
            responses.addApiResponse(status, response);
        });
    }

    private static java.util.stream.Stream<Parameter> pathParameters(Operation operation) {
        return operation.getParameters() == null ? java.util.stream.Stream.empty()
                : operation.getParameters().stream().filter(p -> "path".equals(p.getIn()));
    }

    /** A problem as the service answers it for this operation. */
    private static Map<String, Object> example(String path, Operation operation, int status, Standard standard) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", Problems.TYPE_PREFIX + standard.code().replace('_', '-'));
        body.put("title", HttpStatus.valueOf(status).getReasonPhrase());
        body.put("status", status);
        String detail = status == 400 && operation.getRequestBody() == null
                ? "Path parameters (';') are not accepted." : standard.detail();
        Map<String, Object> values = new LinkedHashMap<>();
        pathParameters(operation).forEach(p -> values.put(p.getName(), p.getExample()));
        if (status == 404 && values.containsKey("projectId")) {
            values.put("projectId", "NO_SUCH_PROJECT");
        }
        List<Map<String, String>> errors = null;
        if (status == 422) {
            String invalid = pathParameters(operation).map(Parameter::getName).filter(PATH_PARAMETERS::containsKey)
                    .findFirst().orElse(null);
            if (invalid == null) {
                errors = List.of(Map.of("field", "field", "message", "must not be null"));
            } else {
                values.put(invalid, PATH_PARAMETERS.get(invalid).invalid());
                errors = List.of(Map.of("field", invalid, "message", PATH_PARAMETERS.get(invalid).rule()));
            }
            detail = "The request breaks a rule: " + errors.get(0).get("field") + " " + errors.get(0).get("message")
                    + ".";
        }
        body.put("detail", detail);
        body.put("instance", expand(path, values));
        body.put("code", standard.code());
        if (errors != null) {
            body.put("errors", errors);
            body.put("error_count", errors.size());
        }
        return body;
    }

    private static String expand(String path, Map<String, Object> values) {
        Matcher variable = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path);
        StringBuilder expanded = new StringBuilder();
        while (variable.find()) {
            Object value = values.get(variable.group(1));
            variable.appendReplacement(expanded, Matcher.quoteReplacement(String.valueOf(value)));
        }
        return variable.appendTail(expanded).toString();
    }

    private static String join(String first, String second) {
        return first == null || first.isBlank() ? second : first + " " + second;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> problemSchema() {
        Schema problem = new ObjectSchema()
                .description("RFC 9457 problem details, always served as application/problem+json.")
                .addProperty("type", new StringSchema().format("uri")
                        .description("URI naming the kind of problem")
                        .example(Problems.TYPE_PREFIX + "not-found"))
                .addProperty("title", new StringSchema().description("The HTTP reason phrase").example("Not Found"))
                .addProperty("status", new IntegerSchema().description("The HTTP status").example(404))
                .addProperty("detail", new StringSchema()
                        .description("A human sentence; for XNAT failures it names the XNAT operation and status and "
                                + "quotes at most 200 characters of XNAT's answer (under 950 characters in all)")
                        .example("Project with ID 'NO_SUCH_PROJECT' not found."))
                .addProperty("instance", new StringSchema().format("uri-reference")
                        .description("The request path, a relative reference (absent only when the request line "
                                + "itself could not be read)").example("/projects/NO_SUCH_PROJECT"))
                .addProperty("code", new StringSchema()._enum(List.copyOf(Problems.CODES))
                        .description("Stable machine code of the problem").example("not_found"))
                .addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/" + FIELD_ERROR))
                        .description("Only on 422: one entry per broken rule, the first 20 in the order of the request's "
                                + "fields; rejected values are never echoed"))
                .addProperty("error_count", new IntegerSchema()
                        .description("Only on 422: how many rules the request breaks in all").example(1));
        problem.setRequired(List.of("type", "title", "status", "detail", "code"));
        return problem;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> fieldErrorSchema() {
        Schema error = new ObjectSchema()
                .description("One broken rule of a 422")
                .addProperty("field", new StringSchema().description("The field or parameter as the caller named it")
                        .example("projectId"))
                .addProperty("message", new StringSchema().example(Identifiers.PROJECT_ID_MESSAGE));
        error.setRequired(List.of("field", "message"));
        return error;
    }

}
