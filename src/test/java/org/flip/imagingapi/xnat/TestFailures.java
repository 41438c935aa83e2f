package org.flip.imagingapi.xnat;

/** XNAT failures for tests outside this package (the factories are the client's own). */
public final class TestFailures {

    private TestFailures() {
    }

    /** XNAT answered an error status. */
    public static XnatFailure rejected(String detail, int status) {
        return XnatFailure.rejected(detail, status);
    }

    public static XnatFailure timedOut(String detail) {
        return XnatFailure.timedOut(detail);
    }

    public static XnatFailure connectionLost(String detail) {
        return XnatFailure.connectionLost(detail, null);
    }

    public static XnatFailure unreachable(String detail) {
        return XnatFailure.unreachable(detail, null);
    }
}
