package org.flip.imagingapi.xnat;

import java.time.Duration;
import org.flip.imagingapi.web.ProblemException;
import org.springframework.http.HttpStatus;

/**
 * XNAT failed us. Never carries XNAT's status as ours: an XNAT 401 is our 502. The detail names
 * the XNAT operation and status and quotes at most 200 characters of XNAT's body.
 */
public class XnatFailure extends ProblemException {

    private final int xnatStatus;
    private final boolean transportFailure;

    XnatFailure(HttpStatus status, String code, String detail, int xnatStatus, Duration retryAfter, Throwable cause) {
        this(status, code, detail, xnatStatus, retryAfter, cause, false);
    }

    private XnatFailure(HttpStatus status, String code, String detail, int xnatStatus, Duration retryAfter,
            Throwable cause, boolean transportFailure) {
        super(status, code, bound(detail), retryAfter, cause);
        this.xnatStatus = xnatStatus;
        this.transportFailure = transportFailure;
    }

    /** XNAT answered, but not with what we can use (any XNAT 4xx/5xx we do not interpret, HTML, bad JSON). */
    public static XnatFailure badGateway(String detail, int xnatStatus) {
        return new XnatFailure(HttpStatus.BAD_GATEWAY, "xnat_error", detail, xnatStatus, null, null);
    }

    static XnatFailure unreachable(String detail, Throwable cause) {
        return new XnatFailure(HttpStatus.SERVICE_UNAVAILABLE, "xnat_unavailable", detail, 0, Duration.ofSeconds(5),
                cause, true);
    }

    /** The connection broke after it was made (reset, premature close). */
    static XnatFailure connectionBroke(String detail, Throwable cause) {
        return new XnatFailure(HttpStatus.BAD_GATEWAY, "xnat_error", detail, 0, null, cause, true);
    }

    static XnatFailure circuitOpen(String detail, Duration retryAfter) {
        return new XnatFailure(HttpStatus.SERVICE_UNAVAILABLE, "xnat_circuit_open", detail, 0, retryAfter, null);
    }

    static XnatFailure busy(String detail) {
        return new XnatFailure(HttpStatus.SERVICE_UNAVAILABLE, "xnat_busy", detail, 0, Duration.ofSeconds(1), null);
    }

    static XnatFailure timedOut(String detail) {
        return new XnatFailure(HttpStatus.GATEWAY_TIMEOUT, "xnat_timeout", detail, 0, null, null);
    }

    static XnatFailure serviceAccountRejected(String detail, int xnatStatus, Duration retryAfter) {
        return new XnatFailure(HttpStatus.BAD_GATEWAY, "xnat_service_account_rejected", detail, xnatStatus,
                retryAfter, null);
    }

    /** A refused or broken connection: worth one more try for an idempotent call. */
    boolean transportFailure() {
        return transportFailure;
    }

    /** XNAT's own status, 0 when XNAT did not answer. */
    public int xnatStatus() {
        return xnatStatus;
    }

    /** The hub shows the first 1000 characters of a relayed detail: stay well inside. */
    private static String bound(String detail) {
        return detail.length() <= 940 ? detail : detail.substring(0, 939) + "…";
    }
}
