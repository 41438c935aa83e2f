package org.flip.imagingapi.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.Paths;
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
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Finishes the OpenAPI document for admins reading Swagger UI: the error responses every
 * operation can give (contract §1.3) as {@code application/problem+json} with one shared
 * {@value #PROBLEM} schema, the tags in a fixed order with their descriptions, descriptions and
 * examples of the identifier path parameters, no security on the open routes, and none of the
 * duplicates a reader does not need (trailing-slash twins, Boot's {@code /error}).
 *
 * <p>springdoc labels {@code ProblemDetail} responses {@code application/json} and knows nothing of
 * our {@code code} and {@code errors} members (springdoc-openapi#2963), hence the explicit schema.
 * Success responses and operation-specific errors (a 409, a particular 404) stay on the
 * controllers; an error status a controller declares gets its description kept and the problem
 * content added here.
 */
@Component
class OpenApiProblemResponses implements OpenApiCustomizer {

    static final String PROBLEM = "Problem";
    static final String FIELD_ERROR = "ProblemFieldError";
    static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;
    static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

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
                + "Operations use /actuator/health/liveness and /readiness.");
        return Collections.unmodifiableMap(tags);
    }

    /** Description and example of each identifier path parameter; the pattern comes from its {@code @Pattern}. */
    private static final Map<String, String[]> PATH_PARAMETERS = Map.of(
            "projectId", new String[] {"XNAT project ID (contract §1.4: 1-64 letters, digits, '_' or '-')",
                    "STROKE_01"},
            "centralHubProjectId", new String[] {"Central Hub project id (a UUID), stored as the XNAT project's "
                    + "secondary_ID", "7e9c1d2a-3b4c-4d5e-8f6a-9b0c1d2e3f4a"},
            "idOrLabel", new String[] {"Experiment: its XNAT ID (e.g. XNAT_E00001) or its label in the project "
                    + "(1-255 of A-Z a-z 0-9 . _ ~ -, not '.' or '..')", "XNAT_E00001"},
            "username", new String[] {"XNAT username (starts with a letter; at most 64 of A-Z a-z 0-9 _ ' . -)",
                    "jdoe"},
            "id", new String[] {"Subscription id: a positive integer as XNAT lists it", "12"});

    private record Standard(String description, String code, String detail) {
    }

    private static final Map<Integer, Standard> STANDARD = Map.of(
            400, new Standard("Malformed request: the JSON body cannot be read, a value has the wrong JSON type, "
                    + "or the path carries ';' parameters.", "malformed_request",
                    "The request body could not be read as the expected JSON."),
            401, new Standard("The trust's internal service key is missing or wrong (or none is configured). "
                    + "No XNAT call was made.", "unauthorized", "Invalid trust-internal service key."),
            404, new Standard("Not found in XNAT (the project, experiment, user or subscription named in the path).",
                    "not_found", "Project 'STROKE_01' not found."),
            409, new Standard("Already exists.", "conflict", "Project ID 'STROKE_01' already exists."),
            413, new Standard("The request body is larger than imaging-api.max-request-body (1 MB).",
                    "payload_too_large", "The request body is larger than this service accepts."),
            422, new Standard("The request breaks a rule (an identifier's syntax, a missing field, a bad e-mail); "
                    + "'errors' names each field. Nothing was sent to XNAT.", "validation_failed",
                    "The request breaks a rule: projectId must be 1-64 letters, digits, '_' or '-'."),
            500, new Standard("Unexpected failure inside imaging-api; the log has the details.", "internal_error",
                    "Internal server error"),
            502, new Standard("XNAT answered with an error or an unusable body (any XNAT 5xx, XNAT 401/403 for "
                    + "the service account, HTML where JSON was expected). The detail names the XNAT operation "
                    + "and status.", "xnat_error",
                    "XNAT list projects failed: HTTP 500 - Internal Server Error"),
            503, new Standard("XNAT is unreachable, busy, or the circuit to it is open; retry after Retry-After "
                    + "seconds.", "xnat_unavailable", "XNAT is unreachable (list projects): Connection refused"),
            504, new Standard("XNAT did not answer within the operation's time budget.", "xnat_timeout",
                    "XNAT did not answer list projects within 10000 ms"));

    @Override
    public void customise(OpenAPI openApi) {
        removeDuplicatePaths(openApi);
        openApi.getComponents().addSchemas(FIELD_ERROR, fieldErrorSchema());
        openApi.getComponents().addSchemas(PROBLEM, problemSchema());
        openApi.setTags(TAGS.entrySet().stream()
                .map(tag -> new Tag().name(tag.getKey()).description(tag.getValue())).toList());
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            boolean open = InternalKeyFilter.isOpen(path);
            if (open) {
                operation.setSecurity(List.of());
            }
            describePathParameters(operation);
            if (path.contains("/experiment/")) {
                operation.setOperationId(operation.getOperationId().replaceFirst("_\\d+$", "") + "SingularPath");
                operation.setDescription(join(operation.getDescription(),
                        "The reference's singular path, kept for its callers; same as /experiments/{idOrLabel}."));
            }
            addProblemResponses(operation, open);
        }));
        dropTwinSuffixes(openApi);
        removeUnusedSchemas(openApi);
    }

    /** springdoc numbers the operation ids of a method mapped to several paths; the twins are gone now. */
    private static void dropTwinSuffixes(OpenAPI openApi) {
        List<Operation> operations = openApi.getPaths().values().stream()
                .flatMap(item -> item.readOperations().stream()).toList();
        java.util.Set<String> ids = new java.util.HashSet<>();
        operations.forEach(operation -> ids.add(operation.getOperationId()));
        for (Operation operation : operations) {
            String id = operation.getOperationId();
            String base = id == null ? null : id.replaceFirst("_\\d+$", "");
            if (base != null && !base.equals(id) && ids.add(base)) {
                ids.remove(id);
                operation.setOperationId(base);
            }
        }
    }

    /** Schemas only the removed paths or replaced responses used (ProblemDetail, JsonNode). */
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

    private static void removeDuplicatePaths(OpenAPI openApi) {
        Paths kept = new Paths();
        new TreeMap<>(openApi.getPaths()).forEach((path, item) -> {
            boolean slashTwin = path.length() > 1 && path.endsWith("/")
                    && openApi.getPaths().containsKey(path.substring(0, path.length() - 1));
            // Boot's error controller is not an endpoint anyone calls.
            if (!slashTwin && !path.equals("/error")) {
                kept.addPathItem(path, item);
            }
        });
        openApi.setPaths(kept);
    }

    private static void describePathParameters(Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        for (Parameter parameter : operation.getParameters()) {
            String[] known = PATH_PARAMETERS.get(parameter.getName());
            if (!"path".equals(parameter.getIn()) || known == null) {
                continue;
            }
            if (parameter.getDescription() == null) {
                parameter.setDescription(known[0]);
            }
            if (parameter.getExample() == null) {
                parameter.setExample(known[1]);
            }
        }
    }

    private static void addProblemResponses(Operation operation, boolean open) {
        ApiResponses responses = operation.getResponses();
        if (!open) {
            boolean hasBody = operation.getRequestBody() != null;
            boolean hasPathParameters = operation.getParameters() != null
                    && operation.getParameters().stream().anyMatch(p -> "path".equals(p.getIn()));
            boolean hasInput = hasBody || (operation.getParameters() != null && !operation.getParameters().isEmpty());
            List<Integer> statuses = new ArrayList<>(List.of(400, 401));
            if (hasPathParameters) {
                statuses.add(404);
            }
            if (hasBody) {
                statuses.add(413);
            }
            if (hasInput) {
                statuses.add(422);
            }
            statuses.addAll(List.of(500, 502, 503, 504));
            for (int status : statuses) {
                responses.putIfAbsent(Integer.toString(status), new ApiResponse());
            }
        }
        // Every error response, standard or declared by a controller, gets the problem content.
        Map<String, ApiResponse> sorted = new TreeMap<>(responses);
        responses.clear();
        sorted.forEach((status, response) -> {
            int code = Integer.parseInt(status);
            if (code >= 400) {
                Standard standard = STANDARD.getOrDefault(code, new Standard("Error", "error", "Error"));
                if (response.getDescription() == null || response.getDescription().isBlank()
                        || response.getDescription().equals(reasonPhrase(code))) {
                    response.setDescription(standard.description());
                }
                response.setContent(new Content().addMediaType(PROBLEM_JSON, new MediaType()
                        .schema(new Schema<>().$ref(PROBLEM_REF))
                        .addExamples(standard.code(), new Example().value(example(code, standard)))));
                if (code == 503) {
                    response.addHeaderObject("Retry-After", new Header()
                            .description("Seconds to wait before retrying")
                            .schema(new IntegerSchema()));
                }
            }
            responses.addApiResponse(status, response);
        });
    }

    private static Map<String, Object> example(int status, Standard standard) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://imaging-api.flip/problems/" + standard.code().replace('_', '-'));
        body.put("title", reasonPhrase(status));
        body.put("status", status);
        body.put("detail", standard.detail());
        body.put("instance", status == 422 ? "/projects/bad.id" : "/projects/STROKE_01");
        body.put("code", standard.code());
        if (status == 422) {
            body.put("errors", List.of(Map.of("field", "projectId",
                    "message", Identifiers.PROJECT_ID_MESSAGE)));
            body.put("error_count", 1);
        }
        return body;
    }

    private static String reasonPhrase(int status) {
        org.springframework.http.HttpStatus known = org.springframework.http.HttpStatus.resolve(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }

    private static String join(String first, String second) {
        return first == null || first.isBlank() ? second : first + " " + second;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> problemSchema() {
        Schema problem = new ObjectSchema()
                .description("RFC 9457 problem details (contract §1.3), always served as application/problem+json.")
                .addProperty("type", new StringSchema().format("uri")
                        .description("URI naming the kind of problem").example("https://imaging-api.flip/problems/not-found"))
                .addProperty("title", new StringSchema().description("The HTTP reason phrase").example("Not Found"))
                .addProperty("status", new IntegerSchema().description("The HTTP status").example(404))
                .addProperty("detail", new StringSchema()
                        .description("A human sentence; for XNAT failures it names the XNAT operation and status and "
                                + "quotes at most 200 characters of XNAT's answer (under 950 characters in all)")
                        .example("Project 'STROKE_01' not found."))
                .addProperty("instance", new StringSchema().format("uri").description("The request path")
                        .example("/projects/STROKE_01"))
                .addProperty("code", new StringSchema().description("Stable machine code: malformed_request, "
                        + "unauthorized, not_found, method_not_allowed, not_acceptable, conflict, payload_too_large, "
                        + "unsupported_media_type, request_timeout, validation_failed, rule_violated, bad_request, xnat_error, "
                        + "xnat_service_account_rejected, xnat_unavailable, xnat_circuit_open, xnat_busy, "
                        + "xnat_timeout, provisioning_deadline, internal_error").example("not_found"))
                .addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/" + FIELD_ERROR))
                        .description("Only on 422: one entry per broken rule, the first 20 in the order of the request's "
                                + "fields; rejected values are never echoed"))
                .addProperty("error_count", new IntegerSchema()
                        .description("Only on 422: how many rules the request breaks in all").example(1));
        problem.setRequired(List.of("type", "title", "status", "detail", "instance", "code"));
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
