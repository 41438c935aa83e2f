package org.flip.imagingapi.xnat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.flip.imagingapi.config.XnatProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service account's XNAT session (JSESSIONID), shared by every request.
 *
 * <p>Logs in once and reuses the cookie; there is no validation call per request. A renewal is
 * single-flight: callers that saw the same expired session wait for one login and share its result.
 * After a rejected login the next attempt waits out a doubling back-off, and requests in between
 * fail fast: XNAT locks an account after a handful of failed logins, and a wrong password in our
 * configuration must not lock it however many requests arrive.
 */
final class XnatSession {

    private static final Logger log = LoggerFactory.getLogger(XnatSession.class);

    /** Performs one login and returns the new session id; throws {@link XnatFailure} otherwise. */
    interface Login {
        String login();
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final XnatProperties.Login policy;
    private final Clock clock;
    private final Counter successes;
    private final Counter failures;
    private volatile String sessionId;
    private int consecutiveRejections;
    private Instant nextAttemptAt = Instant.MIN;
    private String lastRejection = "XNAT rejected the service account at the last login.";

    XnatSession(XnatProperties.Login policy, Clock clock, MeterRegistry registry) {
        this.policy = policy;
        this.clock = clock;
        this.successes = Counter.builder("xnat.logins").tag("result", "success")
                .description("Logins of the service account to XNAT").register(registry);
        this.failures = Counter.builder("xnat.logins").tag("result", "failure")
                .description("Logins of the service account to XNAT").register(registry);
    }

    /** The current session, logging in first when there is none. */
    String current(Login login) {
        String id = sessionId;
        return id != null ? id : renew(null, login);
    }

    /**
     * Replaces {@code stale} with a fresh session. If another caller already replaced it, that
     * session is returned without a second login.
     */
    String renew(String stale, Login login) {
        lock.lock();
        try {
            String id = sessionId;
            if (id != null && !id.equals(stale)) {
                return id;
            }
            sessionId = null;
            Instant now = clock.instant();
            if (now.isBefore(nextAttemptAt)) {
                Duration wait = Duration.between(now, nextAttemptAt);
                throw XnatFailure.loginBackoff(lastRejection + " The next login attempt is in "
                        + Math.max(1, wait.toSeconds()) + " s, to keep XNAT from locking the account.", wait);
            }
            try {
                String fresh = login.login();
                consecutiveRejections = 0;
                nextAttemptAt = Instant.MIN;
                sessionId = fresh;
                successes.increment();
                return fresh;
            } catch (XnatFailure e) {
                failures.increment();
                if (e instanceof XnatFailure.Rejected rejected && rejected.serviceAccount()) {
                    lastRejection = rejected.detail();
                    consecutiveRejections++;
                    Duration backoff = backoff(consecutiveRejections);
                    nextAttemptAt = clock.instant().plus(backoff);
                    // XNAT's side (or its account's configuration), not our bug: WARN like every XNAT failure.
                    log.warn("XNAT rejected the service account login ({} in a row); next attempt in {} s",
                            consecutiveRejections, backoff.toSeconds());
                }
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the session (after logout). */
    String clear() {
        lock.lock();
        try {
            String id = sessionId;
            sessionId = null;
            return id;
        } finally {
            lock.unlock();
        }
    }

    boolean hasSession() {
        return sessionId != null;
    }

    private Duration backoff(int rejections) {
        long initial = policy.initialBackoff().toMillis();
        long max = policy.maxBackoff().toMillis();
        long millis = initial;
        for (int i = 1; i < rejections && millis < max; i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max));
    }

}
