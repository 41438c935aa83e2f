package org.flip.imagingapi.emulator;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** HTTP sessions (JSESSIONID), Basic-auth verification and the failed-login lockout. */
final class Sessions {

    /** Outcome of a Basic-auth attempt. */
    record LoginResult(User user, String failure) {
        boolean ok() {
            return user != null;
        }
    }

    private static final class Session {
        final String username;
        volatile long lastAccess;

        Session(String username, long now) {
            this.username = username;
            this.lastAccess = now;
        }
    }

    private static final class Failures {
        int consecutive;
        long lockedUntil;
    }

    private final SecureRandom random = new SecureRandom();
    private final EmulatorState state;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> sessionsPerUser = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    /** Sessions ever created (never decremented), in total and per user: shows a login pile-up. */
    private final LongAdder opened = new LongAdder();
    private final Map<String, LongAdder> openedPerUser = new ConcurrentHashMap<>();
    private volatile long idleTimeoutMillis = Duration.ofMinutes(15).toMillis();
    private volatile int maxFailedLogins = 20;
    private volatile long lockoutMillis = Duration.ofHours(1).toMillis();
    private volatile int maxSessionsPerUser = 1000;

    Sessions(EmulatorState state) {
        this.state = state;
    }

    void setIdleTimeout(Duration d) {
        idleTimeoutMillis = d.toMillis();
    }

    void setMaxFailedLogins(int n) {
        maxFailedLogins = n;
    }

    void setLockoutDuration(Duration d) {
        lockoutMillis = d.toMillis();
    }

    void setMaxSessionsPerUser(int n) {
        maxSessionsPerUser = n;
    }

    int activeSessions() {
        purgeExpired();
        return sessions.size();
    }

    /** The user of a live session (touching it), or empty when unknown, idle-expired or the user is disabled. */
    Optional<User> resolve(String sessionId) {
        if (sessionId == null) {
            return Optional.empty();
        }
        Session s = sessions.get(sessionId);
        if (s == null) {
            return Optional.empty();
        }
        long now = System.currentTimeMillis();
        if (now - s.lastAccess > idleTimeoutMillis) {
            remove(sessionId);
            return Optional.empty();
        }
        s.lastAccess = now;
        Optional<User> u = state.userByUsername(s.username);
        return u.filter(User::enabled);
    }

    String create(String username) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        String id = HexFormat.of().withUpperCase().formatHex(b);
        sessions.put(id, new Session(username, System.currentTimeMillis()));
        sessionsPerUser.computeIfAbsent(username, k -> new AtomicInteger()).incrementAndGet();
        opened.increment();
        openedPerUser.computeIfAbsent(username, k -> new LongAdder()).increment();
        return id;
    }

    int opened() {
        return opened.intValue();
    }

    int opened(String username) {
        LongAdder a = openedPerUser.get(username);
        return a == null ? 0 : a.intValue();
    }

    void resetOpened() {
        opened.reset();
        openedPerUser.clear();
    }


    void invalidate(String sessionId) {
        if (sessionId != null) {
            remove(sessionId);
        }
    }

    private void remove(String sessionId) {
        Session s = sessions.remove(sessionId);
        if (s != null) {
            AtomicInteger c = sessionsPerUser.get(s.username);
            if (c != null) {
                c.decrementAndGet();
            }
        }
    }

    void expireAll() {
        sessions.keySet().forEach(this::remove);
    }

    private void purgeExpired() {
        long now = System.currentTimeMillis();
        sessions.forEach((id, s) -> {
            if (now - s.lastAccess > idleTimeoutMillis) {
                remove(id);
            }
        });
    }

    void unlockAll() {
        failures.clear();
    }

    /** Decodes an {@code Authorization: Basic} header into {user, password}, or null. */
    static String[] basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Verifies credentials (username/password, or alias/secret of an alias token), applying the lockout. */
    LoginResult login(String rawUser, String password) {
        long now = System.currentTimeMillis();
        String username = rawUser;
        int slash = username.indexOf('/');
        if (slash >= 0) {
            username = username.substring(slash + 1); // "provider/username"
        }
        Optional<AliasToken> token = state.aliasToken(username);
        if (token.isPresent()) {
            AliasToken t = token.get();
            Optional<User> owner = state.userByUsername(t.username());
            if (t.enabled() && !t.isExpired(now) && t.secret().equals(password) && owner.isPresent()
                    && owner.get().enabled()) {
                return sessionCapCheck(owner.get());
            }
            return new LoginResult(null, Pages.LOGIN_FAILURE_MESSAGE);
        }
        Failures f = failures.computeIfAbsent(username, k -> new Failures());
        synchronized (f) {
            if (f.lockedUntil > now) {
                return new LoginResult(null, Pages.LOGIN_FAILURE_MESSAGE);
            }
            Optional<User> u = state.userByUsername(username);
            if (u.isEmpty() || u.get().password() == null || !u.get().password().equals(password)
                    || !u.get().enabled()) {
                f.consecutive++;
                if (f.consecutive >= maxFailedLogins) {
                    f.lockedUntil = now + lockoutMillis;
                    f.consecutive = 0;
                }
                return new LoginResult(null, Pages.LOGIN_FAILURE_MESSAGE);
            }
            f.consecutive = 0;
            LoginResult r = sessionCapCheck(u.get());
            if (r.ok()) {
                state.recordLogin(username, now);
            }
            return r;
        }
    }

    private LoginResult sessionCapCheck(User u) {
        AtomicInteger c = sessionsPerUser.get(u.username());
        if (c != null && c.get() >= maxSessionsPerUser) {
            purgeExpired();
            if (c.get() >= maxSessionsPerUser) {
                return new LoginResult(null, Pages.LOGIN_FAILURE_MESSAGE);
            }
        }
        return new LoginResult(u, null);
    }

    boolean isLocked(String username) {
        Failures f = failures.get(username);
        return f != null && f.lockedUntil > System.currentTimeMillis();
    }
}
