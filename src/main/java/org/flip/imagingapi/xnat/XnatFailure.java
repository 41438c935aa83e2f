package org.flip.imagingapi.xnat;

import java.time.Duration;

/**
 * A call to XNAT that did not give a usable answer, by what the caller can conclude from it.
 * The kinds differ in the one thing that matters for a create: whether it may have happened.
 *
 * <ul>
 *   <li>{@link Rejected}: XNAT answered with a status the client does not interpret; nothing was done.
 *   <li>{@link NotSent}: nothing reached XNAT (connection refused, circuit open, too many calls in
 *       flight, login back-off); trying again later is safe, checking first is pointless.
 *   <li>{@link InDoubt}: the request went out and no answer came back (timed out, connection lost):
 *       a create may have happened and must be looked up before it is repeated.
 *   <li>{@link Unusable}: XNAT answered something that cannot be read (an HTML page, bad JSON, a
 *       body above the size limit, a missing field).
 * </ul>
 *
 * <p>These are XNAT's facts, not our answers: {@code web/} turns them into problem responses
 * (never with XNAT's status as ours). The detail names the XNAT operation and quotes at most
 * 200 characters of XNAT's body, never an e-mail address, a Java class name or a server banner.
 */
public abstract sealed class XnatFailure extends RuntimeException
        permits XnatFailure.Rejected, XnatFailure.NotSent, XnatFailure.InDoubt, XnatFailure.Unusable {

    /** The hub shows the first 1000 characters of a relayed detail: stay well inside. */
    static final int DETAIL_LIMIT = 940;

    private final String detail;

    private XnatFailure(String detail, Throwable cause) {
        super(bound(detail), cause, false, false);
        this.detail = bound(detail);
    }

    /** A sentence for the problem detail. */
    public String detail() {
        return detail;
    }

    /** XNAT's own status, 0 when XNAT did not answer. */
    public int xnatStatus() {
        return 0;
    }

    /** Worth replaying for an idempotent call: a refused or broken connection, never a timeout. */
    abstract boolean worthReplaying();

    /** XNAT answered an error status. */
    public static final class Rejected extends XnatFailure {
        private final int status;
        private final boolean serviceAccount;

        Rejected(String detail, int status, boolean serviceAccount) {
            super(detail, null);
            this.status = status;
            this.serviceAccount = serviceAccount;
        }

        @Override
        public int xnatStatus() {
            return status;
        }

        /** XNAT refused the service account itself (its login, or its expired password). */
        public boolean serviceAccount() {
            return serviceAccount;
        }

        @Override
        boolean worthReplaying() {
            return false;
        }
    }

    /** Nothing reached XNAT. */
    public static final class NotSent extends XnatFailure {

        /** Why nothing was sent. */
        public enum Reason { UNREACHABLE, CIRCUIT_OPEN, BUSY, LOGIN_BACKOFF, OUT_OF_TIME }

        private final Reason reason;
        private final Duration retryAfter;

        NotSent(Reason reason, String detail, Duration retryAfter, Throwable cause) {
            super(detail, cause);
            this.reason = reason;
            this.retryAfter = retryAfter;
        }

        public Reason reason() {
            return reason;
        }

        /** When trying again makes sense. */
        public Duration retryAfter() {
            return retryAfter;
        }

        @Override
        boolean worthReplaying() {
            return reason == Reason.UNREACHABLE;
        }
    }

    /** The request went out; whether XNAT acted on it is unknown. */
    public static final class InDoubt extends XnatFailure {

        /** How the answer was lost. */
        public enum Reason { TIMED_OUT, CONNECTION_LOST }

        private final Reason reason;

        InDoubt(Reason reason, String detail, Throwable cause) {
            super(detail, cause);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }

        @Override
        boolean worthReplaying() {
            return reason == Reason.CONNECTION_LOST;
        }
    }

    /** XNAT answered something that cannot be used as the answer. */
    public static final class Unusable extends XnatFailure {
        private final int status;

        Unusable(String detail, int status) {
            super(detail, null);
            this.status = status;
        }

        @Override
        public int xnatStatus() {
            return status;
        }

        @Override
        boolean worthReplaying() {
            return false;
        }
    }

    static Rejected rejected(String detail, int status) {
        return new Rejected(detail, status, false);
    }

    static Unusable unusable(String detail, int status) {
        return new Unusable(detail, status);
    }

    static NotSent unreachable(String detail, Throwable cause) {
        return new NotSent(NotSent.Reason.UNREACHABLE, detail, Duration.ofSeconds(5), cause);
    }

    static NotSent circuitOpen(String detail, Duration retryAfter) {
        return new NotSent(NotSent.Reason.CIRCUIT_OPEN, detail, retryAfter, null);
    }

    static NotSent busy(String detail) {
        return new NotSent(NotSent.Reason.BUSY, detail, Duration.ofSeconds(1), null);
    }

    static NotSent loginBackoff(String detail, Duration retryAfter) {
        return new NotSent(NotSent.Reason.LOGIN_BACKOFF, detail, retryAfter, null);
    }

    static NotSent outOfTime(String detail) {
        return new NotSent(NotSent.Reason.OUT_OF_TIME, detail, null, null);
    }

    static InDoubt timedOut(String detail) {
        return new InDoubt(InDoubt.Reason.TIMED_OUT, detail, null);
    }

    static InDoubt connectionLost(String detail, Throwable cause) {
        return new InDoubt(InDoubt.Reason.CONNECTION_LOST, detail, cause);
    }

    static Rejected serviceAccountRejected(String detail, int status) {
        return new Rejected(detail, status, true);
    }

    private static String bound(String detail) {
        return detail.length() <= DETAIL_LIMIT ? detail : detail.substring(0, DETAIL_LIMIT - 1) + "…";
    }
}
