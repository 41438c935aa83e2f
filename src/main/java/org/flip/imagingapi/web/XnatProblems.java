package org.flip.imagingapi.web;

import java.time.Duration;
import org.flip.imagingapi.xnat.XnatFailure;
import org.springframework.http.HttpStatus;

/**
 * The one place where XNAT's failures become our answers (contract §1.3). XNAT's status is never
 * ours: whatever XNAT answered is a 502, nothing reaching XNAT a 503, no answer in time a 504.
 */
public final class XnatProblems {

    private XnatProblems() {
    }

    public static ProblemException of(XnatFailure failure) {
        if (failure instanceof XnatFailure.NotSent notSent) {
            return switch (notSent.reason()) {
                case UNREACHABLE -> problem(HttpStatus.SERVICE_UNAVAILABLE, "xnat_unavailable", failure,
                        notSent.retryAfter());
                case CIRCUIT_OPEN -> problem(HttpStatus.SERVICE_UNAVAILABLE, "xnat_circuit_open", failure,
                        notSent.retryAfter());
                case BUSY -> problem(HttpStatus.SERVICE_UNAVAILABLE, "xnat_busy", failure, notSent.retryAfter());
                case OUT_OF_TIME -> problem(HttpStatus.GATEWAY_TIMEOUT, "xnat_timeout", failure, null);
                // nothing was sent, but the cause is the account: say so, with when the next login is tried
                case LOGIN_BACKOFF -> problem(HttpStatus.BAD_GATEWAY, "xnat_service_account_rejected", failure,
                        notSent.retryAfter());
            };
        }
        if (failure instanceof XnatFailure.InDoubt inDoubt) {
            return inDoubt.reason() == XnatFailure.InDoubt.Reason.TIMED_OUT
                    ? problem(HttpStatus.GATEWAY_TIMEOUT, "xnat_timeout", failure, null)
                    : problem(HttpStatus.BAD_GATEWAY, "xnat_error", failure, null);
        }
        boolean account = failure instanceof XnatFailure.Rejected rejected && rejected.serviceAccount();
        return problem(HttpStatus.BAD_GATEWAY, account ? "xnat_service_account_rejected" : "xnat_error", failure, null);
    }

    private static ProblemException problem(HttpStatus status, String code, XnatFailure failure, Duration retryAfter) {
        return new ProblemException(status, code, failure.detail(), retryAfter, failure);
    }
}
