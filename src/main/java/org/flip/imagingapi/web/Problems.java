package org.flip.imagingapi.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Builds the problem bodies of contract §1.3 ({@code type}, {@code title}, {@code status},
 * {@code detail}, {@code instance}, {@code code}), for the MVC advice and for filters that answer
 * before MVC runs.
 */
@Component
public class Problems {

    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    static final String TYPE_PREFIX = "https://imaging-api.flip/problems/";

    /**
     * Every {@code code} a problem of this service carries. The OpenAPI document publishes them as an
     * enum; {@code ProblemCodesTest} checks the list against the codes the sources emit.
     */
    public static final Set<String> CODES = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            "malformed_request", "bad_request", "unauthorized", "not_found", "method_not_allowed", "not_acceptable",
            "conflict", "payload_too_large", "unsupported_media_type", "validation_failed", "rule_violated",
            "internal_error", "xnat_error", "xnat_service_account_rejected", "xnat_unavailable", "xnat_circuit_open",
            "xnat_busy", "xnat_timeout", "provisioning_deadline", "deletion_deadline", "project_not_deleted",
            "site_wide_subscription", "shutting_down", "request_timeout", "privileged_account")));

    private final ObjectMapper objectMapper;

    public Problems(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    public static ProblemDetail of(HttpStatusCode status, String code, String detail, String instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + code.replace('_', '-')));
        if (instance != null) {
            problem.setInstance(URI.create(safeInstance(instance)));
        }
        problem.setProperty("code", code);
        return problem;
    }

    /** The code of an error raised outside our handlers (a container error page, Tomcat itself). */
    static String codeFor(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "not_found";
            case PAYLOAD_TOO_LARGE -> "payload_too_large";
            case METHOD_NOT_ALLOWED -> "method_not_allowed";
            default -> status.is5xxServerError() ? "internal_error" : "bad_request";
        };
    }

    /** The detail of such an error: generic, never what went wrong inside. */
    static String detailFor(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "No endpoint answers this path.";
            case BAD_REQUEST -> "The request could not be understood.";
            case PAYLOAD_TOO_LARGE -> "The request body is larger than this service accepts.";
            case METHOD_NOT_ALLOWED -> "The method is not allowed on this path.";
            default -> status.is5xxServerError() ? "Internal server error" : status.getReasonPhrase();
        };
    }

    public static ProblemDetail withErrors(ProblemDetail problem, List<Map<String, String>> errors) {
        problem.setProperty("errors", errors);
        return problem;
    }

    /** Writes a problem straight to the servlet response (for filters). */
    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatusCode status,
            String code, String detail) throws IOException {
        ProblemDetail problem = of(status, code, detail, request.getRequestURI());
        response.setStatus(status.value());
        // Jackson writes UTF-8 to the stream; no charset parameter, like every other problem we answer.
        response.setContentType(PROBLEM_JSON.toString());
        objectMapper.writeValue(response.getOutputStream(), problem);
    }

    private static String safeInstance(String path) {
        // The instance echoes the request path; keep it a valid URI whatever the caller sent.
        try {
            return URI.create(path).toString();
        } catch (IllegalArgumentException e) {
            return org.springframework.web.util.UriUtils.encodePath(path, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
