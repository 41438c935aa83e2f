package org.flip.imagingapi.web;

import java.time.Duration;
import org.springframework.http.HttpStatus;

/**
 * A failure that has a meaning for our callers: it becomes an RFC 9457 problem with this status,
 * stable {@code code} and human {@code detail}. The detail must never carry secrets or e-mails.
 */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String detail;
    private final Duration retryAfter;

    public ProblemException(HttpStatus status, String code, String detail) {
        this(status, code, detail, null, null);
    }

    public ProblemException(HttpStatus status, String code, String detail, Duration retryAfter, Throwable cause) {
        super(detail, cause, false, false);
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.retryAfter = retryAfter;
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(HttpStatus.NOT_FOUND, "not_found", detail);
    }

    /** The one wording of "no such XNAT project", whichever feature finds it missing. */
    public static ProblemException projectNotFound(String projectId) {
        return notFound("Project with ID '" + projectId + "' not found.");
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(HttpStatus.CONFLICT, "conflict", detail);
    }

    public static ProblemException unprocessable(String detail) {
        return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "rule_violated", detail);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return detail;
    }

    /** When set, the response carries a {@code Retry-After} header (for example an open circuit). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
