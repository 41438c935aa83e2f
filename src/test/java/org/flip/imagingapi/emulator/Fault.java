package org.flip.imagingapi.emulator;

import java.time.Duration;

/**
 * A fault injected into one emulator operation with {@link XnatEmulator#inject(String, Fault)}.
 *
 * <ul>
 *   <li>{@link Kind#DELAY}: sleep {@code delay}, then serve the real response.</li>
 *   <li>{@link Kind#STATUS}: answer {@code status} with {@code body} (served as {@code text/html} on /data,
 *       {@code text/plain} on /xapi, unless {@code contentType} is given); the real handler does not run.</li>
 *   <li>{@link Kind#HTML_ON_200}: answer 200 with an HTML login page (what a proxy or an expired SSO gives).</li>
 *   <li>{@link Kind#DROP_CONNECTION}: close the TCP connection without any response.</li>
 * </ul>
 *
 * @param times how many calls the fault applies to; {@link #UNLIMITED} (the default) until
 *              {@link XnatEmulator#clearFaults()}
 */
public record Fault(Kind kind, Duration delay, int status, String body, String contentType, int times) {

    /** {@code times} value meaning "every call until cleared". */
    public static final int UNLIMITED = -1;

    public enum Kind { DELAY, STATUS, HTML_ON_200, DROP_CONNECTION }

    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, delay, 0, null, null, UNLIMITED);
    }

    public static Fault status(int status, String body) {
        return new Fault(Kind.STATUS, Duration.ZERO, status, body, null, UNLIMITED);
    }

    public static Fault status(int status, String body, String contentType) {
        return new Fault(Kind.STATUS, Duration.ZERO, status, body, contentType, UNLIMITED);
    }

    public static Fault htmlOn200() {
        return new Fault(Kind.HTML_ON_200, Duration.ZERO, 200, null, "text/html;charset=UTF-8", UNLIMITED);
    }

    public static Fault dropConnection() {
        return new Fault(Kind.DROP_CONNECTION, Duration.ZERO, 0, null, null, UNLIMITED);
    }

    /** A copy limited to the next {@code n} calls. */
    public Fault times(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("times must be positive");
        }
        return new Fault(kind, delay, status, body, contentType, n);
    }
}
