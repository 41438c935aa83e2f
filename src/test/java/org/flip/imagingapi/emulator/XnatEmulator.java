package org.flip.imagingapi.emulator;

import static org.flip.imagingapi.emulator.Http.Resp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * A stateful, in-memory XNAT (1.9.x + Container Service + event service + DQR) speaking XNAT's REST dialect
 * over real HTTP, quirks included (see {@code xnat-rest-behaviour.md}). For tests and benchmarks.
 *
 * <pre>{@code
 * try (XnatEmulator xnat = XnatEmulator.start()) {
 *     xnat.seedDemo();
 *     // point the client at xnat.baseUrl(), user "imaging-api" / "imaging-api-password"
 *     assertThat(xnat.calls(XnatOps.CREATE_PROJECT)).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Every operation is counted under its {@link XnatOps} name before faults and authentication apply.
 */
public final class XnatEmulator implements AutoCloseable {

    /** The service account created by {@link #start()}: site admin (all roles). */
    public static final String SERVICE_USER = "imaging-api";
    public static final String SERVICE_PASSWORD = "imaging-api-password";
    /** The dcm2niix image registered by {@link #seedDemo()}. */
    public static final String DCM2NIIX_IMAGE = "ghcr.io/londonaicentre/xnat-dcm2niix:v1.0.20260724";
    /** Default worker threads (override with system property {@code xnat.emulator.threads}). */
    public static final int DEFAULT_THREADS = 64;

    /** Where {@code XnatExpiredPasswordFilter} sends every request of an account whose password has expired. */
    public static final String CHANGE_PASSWORD_PATH = "/app/template/XDATScreen_UpdateUser.vm";

    private static final Pattern BROWSER = Pattern.compile(".*(Mozilla|AppleWebKit|MSIE|Opera).*");

    private final EmulatorState state = new EmulatorState();
    private final Sessions sessions = new Sessions(state);
    private final Http.Router router = new Http.Router();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bytesPerOp = new ConcurrentHashMap<>();
    private final LongAdder totalCalls = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder logins = new LongAdder();
    private final LongAdder failedLogins = new LongAdder();
    private final LongAdder injectedFaults = new LongAdder();
    private final Map<String, List<ActiveFault>> faults = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;
    private volatile String siteUrl;
    private volatile int defaultPrearchiveCode = 4;
    private volatile boolean dqrAllowAllUsers;
    private volatile DqrGeneration dqrGeneration = DqrGeneration.IMPORT_QUEUE;
    private volatile boolean passwordExpirationEnabled = true;

    private static final class ActiveFault {
        final Fault fault;
        final AtomicInteger remaining;
        /** Share of calls the fault hits (1.0 = every call); misses neither claim a use nor remove the fault. */
        final double probability;

        ActiveFault(Fault fault) {
            this(fault, 1.0);
        }

        ActiveFault(Fault fault, double probability) {
            this.fault = fault;
            this.remaining = new AtomicInteger(fault.times());
            this.probability = probability;
        }

        boolean exhausted() {
            return fault.times() != Fault.UNLIMITED && remaining.get() <= 0;
        }

        /** Claims one use; false when exhausted. */
        boolean claim() {
            if (fault.times() == Fault.UNLIMITED) {
                return true;
            }
            while (true) {
                int r = remaining.get();
                if (r <= 0) {
                    return false;
                }
                if (remaining.compareAndSet(r, r - 1)) {
                    return true;
                }
            }
        }
    }

    private XnatEmulator(String host, int port, int threads) {
        // Without TCP_NODELAY the JDK server's split header/body writes can stall ~40 ms on keep-alive connections.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        try {
            InetSocketAddress address = host == null ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port)
                    : new InetSocketAddress(host, port);
            server = HttpServer.create(address, 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the XNAT emulator to port " + port, e);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "xnat-emulator-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        executor = pool;
        server.setExecutor(executor);
        String shown = host == null || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        baseUrl = "http://" + shown + ":" + server.getAddress().getPort();
        siteUrl = baseUrl;
        new DataApi(this).register(router);
        new Xapi(this).register(router);
        new Dqr(this).register(router);
        router.add(XnatOps.LOGIN, Http.AuthMode.SESSION_ENDPOINT, this::jsession);
        router.add(XnatOps.LOGIN_GET, Http.AuthMode.SESSION_ENDPOINT, this::jsession);
        router.add(XnatOps.LOGOUT, Http.AuthMode.SESSION_ENDPOINT, this::logout);
        router.add(XnatOps.LOGIN_PAGE, Http.AuthMode.OPEN, r -> Resp.html(200, Pages.loginPage()));
        server.createContext("/", this::handle);
        server.start();
        state.addUser(new User(0, "guest", null, "Guest", "User", true, true, null, null, null, Set.of()));
        addAccount(SERVICE_USER, SERVICE_PASSWORD, true);
    }

    /** Starts on a random free port with an empty XNAT plus the {@code imaging-api} service account and guest. */
    public static XnatEmulator start() {
        return start(0);
    }

    /** Starts on the given port (0 = random). */
    public static XnatEmulator start(int port) {
        return new XnatEmulator(null, port, Integer.getInteger("xnat.emulator.threads", DEFAULT_THREADS));
    }

    /** Starts with an explicit worker-thread count. */
    public static XnatEmulator start(int port, int threads) {
        return new XnatEmulator(null, port, threads);
    }

    /** Starts bound to {@code host} (e.g. {@code 0.0.0.0} to serve other containers). */
    public static XnatEmulator start(String host, int port, int threads) {
        return new XnatEmulator(host, port, threads);
    }

    /** e.g. {@code http://127.0.0.1:34567} (no trailing slash). */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** The mutable, thread-safe model. */
    public EmulatorState state() {
        return state;
    }

    /**
     * Adds a login-capable account. {@code siteAdmin} = ALL_DATA_ADMIN + Administrator + ContainerManager + Dqr;
     * otherwise a plain user with no roles (e.g. one that does not see private commands).
     */
    public User addAccount(String username, String password, boolean siteAdmin) {
        return state.addUser(new User(0, username, username + "@example.org", capitalize(username), "Account",
                true, true, password, System.currentTimeMillis(), null,
                siteAdmin ? User.SITE_ADMIN_ROLES : Set.of()));
    }

    /** Grants or withdraws a site role (e.g. {@link User#CONTAINER_MANAGER}, {@link User#NON_EXPIRING}). */
    public void setRole(String username, String role, boolean granted) {
        state.atomically(() -> {
            User u = state.userByUsername(username).orElseThrow(() -> new IllegalArgumentException(
                    "No user " + username));
            Set<String> roles = new HashSet<>(u.roles());
            if (granted) {
                roles.add(role);
            } else {
                roles.remove(role);
            }
            state.updateUser(u.withRoles(roles));
        });
    }

    private static String capitalize(String s) {
        String letters = s.replaceAll("[^A-Za-z]", "");
        return letters.isEmpty() ? "User" : Character.toUpperCase(letters.charAt(0)) + letters.substring(1);
    }

    // ------------------------------------------------------------------ counters

    /** Requests received for the operation (see {@link XnatOps}). */
    public int calls(String operation) {
        LongAdder a = calls.get(operation);
        return a == null ? 0 : a.intValue();
    }

    /** Snapshot of all non-zero operation counters. */
    public Map<String, Integer> callCounts() {
        Map<String, Integer> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.intValue()));
        return Collections.unmodifiableMap(out);
    }

    public int totalCalls() {
        return totalCalls.intValue();
    }

    /** Successful plus failed {@code POST/GET /data/JSESSION} logins with Basic credentials. */
    public int logins() {
        return logins.intValue();
    }

    public int failedLogins() {
        return failedLogins.intValue();
    }

    /** HTTP sessions created since the last {@link #resetCounters()} (expired or not): a login pile-up shows here. */
    public int sessionsOpened() {
        return sessions.opened();
    }

    /** Sessions created for one account since the last {@link #resetCounters()}. */
    public int sessionsOpened(String username) {
        return sessions.opened(username);
    }

    /** Total response body bytes sent. */
    public long bytesSent() {
        return bytesSent.sum();
    }

    /** Response body bytes sent for one operation. */
    public long bytesSent(String operation) {
        LongAdder a = bytesPerOp.get(operation);
        return a == null ? 0 : a.sum();
    }

    public void resetCounters() {
        calls.clear();
        bytesPerOp.clear();
        totalCalls.reset();
        bytesSent.reset();
        logins.reset();
        failedLogins.reset();
        injectedFaults.reset();
        sessions.resetOpened();
    }

    // ------------------------------------------------------------------ sessions & settings

    /** Every JSESSIONID becomes invalid; the next request with it gets 401. */
    public void expireAllSessions() {
        sessions.expireAll();
    }

    /** Sessions idle longer than this expire (default 15 minutes, XNAT's default). */
    public void setSessionIdleTimeout(Duration d) {
        sessions.setIdleTimeout(d);
    }

    /** Consecutive failures before an account is locked (default 20). */
    public void setMaxFailedLogins(int n) {
        sessions.setMaxFailedLogins(n);
    }

    /** Lockout duration (default 1 hour). */
    public void setLockoutDuration(Duration d) {
        sessions.setLockoutDuration(d);
    }

    /** Clears all failed-login counters and lockouts. */
    public void unlockAllAccounts() {
        sessions.unlockAll();
    }

    /** XNAT's {@code sessions.concurrent_max} (default 1000): further logins of that user get 401. */
    public void setMaxSessionsPerUser(int n) {
        sessions.setMaxSessionsPerUser(n);
    }

    /** Live (non-expired) HTTP sessions. */
    public int activeSessions() {
        return sessions.activeSessions();
    }

    /**
     * The event service's {@code enabled} preference (also {@code PUT /xapi/events/prefs {"enabled": false}}). The
     * emulator starts with it <b>on</b>; XNAT's own default is off.
     */
    public void setEventServiceEnabled(boolean on) {
        state.setEventServiceEnabled(on);
    }

    /**
     * Ages the account's password past XNAT's {@code passwordExpirationInterval} (1 year by default), or makes it
     * fresh again. From then on every request of that account - {@code POST /data/JSESSION} with the right
     * credentials included - opens a session and is answered 302 to {@link #CHANGE_PASSWORD_PATH}, unless the account
     * holds the {@link User#NON_EXPIRING} role or {@link #setPasswordExpirationEnabled} is off. A password set through
     * {@code PUT /xapi/users/{u}} makes it fresh.
     */
    public void setPasswordExpired(String username, boolean expired) {
        state.setPasswordExpired(username, expired);
    }

    /** Site preference {@code passwordExpirationType}: true = {@code Interval} (XNAT's default), false = Disabled. */
    public void setPasswordExpirationEnabled(boolean on) {
        passwordExpirationEnabled = on;
    }

    /** {@code XnatExpiredPasswordFilter}'s decision for an authenticated account. */
    private boolean mustChangePassword(User u) {
        return passwordExpirationEnabled && !u.isGuest() && !u.hasRole(User.NON_EXPIRING)
                && state.isPasswordExpired(u.username());
    }

    private Resp changePasswordRedirect() {
        return new Resp(302, null, new byte[0], Map.of("Location", siteUrl + CHANGE_PASSWORD_PATH));
    }

    /** The {@code siteUrl} preference used for the URL body of {@code POST /data/projects} (default baseUrl). */
    public void setSiteUrl(String url) {
        siteUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    String siteUrl() {
        return siteUrl;
    }

    /** {@code defaultPrearchiveCode} site preference (default 4). */
    public void setDefaultPrearchiveCode(int code) {
        defaultPrearchiveCode = code;
    }

    int defaultPrearchiveCode() {
        return defaultPrearchiveCode;
    }

    /** DQR's {@code allowAllUsersToUseDqr} (default false: only admins and Dqr-role holders). */
    public void setDqrAllowAllUsers(boolean on) {
        dqrAllowAllUsers = on;
    }

    boolean dqrAllowAllUsers() {
        return dqrAllowAllUsers;
    }

    /**
     * Which DQR plugin build is installed (default {@link DqrGeneration#IMPORT_QUEUE}, the newest), or
     * {@link DqrGeneration#NONE}. The queue in {@link #state()} stays; only the routes that reach it change.
     */
    public void setDqrGeneration(DqrGeneration generation) {
        dqrGeneration = generation;
    }

    DqrGeneration dqrGeneration() {
        return dqrGeneration;
    }

    // ------------------------------------------------------------------ faults

    /** Applies the fault to the operation's next {@code fault.times()} calls (or all calls until cleared). */
    public void inject(String operation, Fault fault) {
        if (!router.knows(operation) && !XnatOps.UNKNOWN.equals(operation)) {
            throw new IllegalArgumentException("Unknown operation '" + operation + "'; use the XnatOps constants");
        }
        faults.computeIfAbsent(operation, k -> new CopyOnWriteArrayList<>()).add(new ActiveFault(fault));
    }

    /**
     * Applies the fault to a random share of the operation's calls ({@code probability} in (0, 1]), e.g. 10 %
     * injected 5xx for a load test; {@link #ANY_OPERATION} applies it to every operation except logins.
     */
    public void inject(String operation, Fault fault, double probability) {
        if (!(probability > 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in (0, 1]");
        }
        faults.computeIfAbsent(operation, k -> new CopyOnWriteArrayList<>()).add(new ActiveFault(fault, probability));
    }

    /** Operation name for {@link #inject(String, Fault, double)} meaning every operation but the logins. */
    public static final String ANY_OPERATION = "*";

    public void clearFaults() {
        faults.clear();
    }

    private Fault takeFault(String op) {
        Fault f = takeFault(faults.get(op));
        if (f == null && !op.equals(XnatOps.LOGIN) && !op.equals(XnatOps.LOGIN_GET)) {
            f = takeFault(faults.get(ANY_OPERATION));
        }
        if (f != null) {
            injectedFaults.increment();
        }
        return f;
    }

    private static Fault takeFault(List<ActiveFault> list) {
        if (list == null) {
            return null;
        }
        for (ActiveFault f : list) {
            if (f.exhausted()) {
                list.remove(f);
                continue;
            }
            if (f.probability < 1.0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() >= f.probability) {
                continue;
            }
            if (f.claim()) {
                return f.fault;
            }
            list.remove(f);
        }
        return null;
    }

    // ------------------------------------------------------------------ seeding

    /** Demo data; see {@link Seeds#demo}. */
    public void seedDemo() {
        Seeds.demo(this);
    }

    /**
     * A new subject of {@code project} with one experiment of its own and one owned by {@code otherProject}; then
     * {@code DELETE /data/projects/{project}} answers 200, deletes the project's own experiments and keeps the
     * project with that subject (XNAT's {@code preventProjectDelete}).
     */
    public Seeds.SharedSubject seedSubjectWithAnotherProjectsExperiment(String project, String otherProject) {
        return Seeds.sharedSubject(this, project, otherProject);
    }

    /** A site-wide dcm2niix subscription (no project ids), listed under every project; needs {@link #seedDemo()}. */
    public Subscription seedSiteWideSubscription(String name) {
        return Seeds.siteWideSubscription(this, name);
    }

    /**
     * A dcm2niix subscription on {@code project} made by someone else: {@code name} {@link Seeds#SUBSCRIPTION_NAME}
     * and owner {@link #SERVICE_USER} for what the Python reference service left behind, or an admin's under another
     * name; needs {@link #seedDemo()}.
     */
    public Subscription seedProjectSubscription(String project, String name, String owner) {
        return Seeds.projectSubscription(this, project, name, owner);
    }

    /** The demo's throw-away project and its subscription ({@link Seeds#SCRATCH}), on top of {@link #seedDemo()}. */
    public void seedDemoScratch() {
        Seeds.scratch(this);
    }

    /** The demo's drifted hub project for the audit examples ({@link Seeds#DRIFT}), on top of {@link #seedDemo()}. */
    public Subscription seedDemoAuditDrift() {
        return Seeds.auditDrift(this);
    }

    /** Bulk data for benchmarks; see {@link Seeds#bulk}. */
    public void seedBulk(int projects, int subjectsPerProject, int experimentsPerProject, int users) {
        Seeds.bulk(this, projects, subjectsPerProject, experimentsPerProject, users);
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange ex) {
        String op = XnatOps.UNKNOWN;
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String method = ex.getRequestMethod();
            List<String> segs = normalise(Http.segments(ex.getRequestURI().getRawPath()));
            boolean[] mismatch = new boolean[1];
            Http.Match m = router.match(method, segs, mismatch);
            if (m != null) {
                op = m.route().op();
            }
            calls.computeIfAbsent(op, k -> new LongAdder()).increment();
            totalCalls.increment();
            Http.Req req = new Http.Req(method, segs, Http.query(ex.getRequestURI().getRawQuery()),
                    m == null ? Map.of() : m.vars(), ex.getRequestHeaders(), body);

            Fault fault = takeFault(op);
            if (fault != null) {
                switch (fault.kind()) {
                    case DELAY -> sleep(fault.delay());
                    case DROP_CONNECTION -> {
                        return; // closing the exchange before any header closes the TCP connection
                    }
                    case STATUS -> {
                        String ct = fault.contentType() != null ? fault.contentType()
                                : req.xapi ? Http.TEXT : Http.HTML;
                        String b = fault.body() == null ? "" : fault.body();
                        send(ex, op, new Resp(fault.status(), b.isEmpty() ? null : ct,
                                b.getBytes(StandardCharsets.UTF_8), Map.of()), null);
                        return;
                    }
                    case HTML_ON_200 -> {
                        send(ex, op, Resp.html(200, Pages.loginPage()), null);
                        return;
                    }
                }
            }
            if (m == null) {
                Resp r = mismatch[0] ? req.error(405, "Method Not Allowed") : notFound(req, segs);
                send(ex, op, r, null);
                return;
            }
            String newSession = null;
            if (m.route().auth() == Http.AuthMode.REQUIRED) {
                Object auth = authenticate(req);
                if (auth instanceof Resp r) {
                    send(ex, op, r, null);
                    return;
                }
                newSession = (String) auth;
                if (mustChangePassword(req.user)) {
                    // the filter runs after Basic authentication: the session exists, the request never runs
                    send(ex, op, changePasswordRedirect(), newSession);
                    return;
                }
            }
            Resp resp;
            try {
                resp = m.route().handler().handle(req);
            } catch (Http.Halt h) {
                resp = h.resp;
            }
            send(ex, op, resp, newSession);
        } catch (IOException e) {
            // client went away
        } catch (RuntimeException e) {
            try {
                send(ex, op, Resp.text(500, "Emulator error: " + e), null);
            } catch (IOException ignored) {
                // nothing more to do
            }
        } catch (Exception e) {
            try {
                send(ex, op, Resp.text(500, "Emulator error: " + e), null);
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    /** {@code /data/archive/...} and {@code /REST/...} are aliases of {@code /data/...}. */
    private static List<String> normalise(List<String> segs) {
        if (segs.isEmpty()) {
            return segs;
        }
        List<String> out = segs;
        if (segs.get(0).equals("REST")) {
            out = new ArrayList<>(segs);
            out.set(0, "data");
        }
        if (out.size() >= 2 && out.get(0).equals("data") && out.get(1).equals("archive")) {
            out = new ArrayList<>(out);
            out.remove(1);
        }
        return out;
    }

    private static Resp notFound(Http.Req req, List<String> segs) {
        if (req.xapi) {
            return Resp.empty(404);
        }
        if (!segs.isEmpty() && segs.get(0).equals("data")) {
            return Pages.statusPage(404, "The server has not found anything matching the request URI");
        }
        return Pages.tomcat(404, "Not Found", "The requested resource [/" + String.join("/", segs)
                + "] is not available", "The origin server did not find a current representation for the target "
                + "resource or is not willing to disclose that one exists.");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String cookie(Http.Req r) {
        List<String> cookies = r.headers.get("Cookie");
        if (cookies == null) {
            return null;
        }
        for (String header : cookies) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith("JSESSIONID=")) {
                    return p.substring("JSESSIONID=".length());
                }
            }
        }
        return null;
    }

    /**
     * Session cookie first, then Basic. Returns the new session id (String) or null when the cookie was used,
     * or an error Resp.
     */
    private Object authenticate(Http.Req r) {
        var fromCookie = sessions.resolve(cookie(r));
        if (fromCookie.isPresent()) {
            r.user = fromCookie.get();
            return null;
        }
        String[] basic = Sessions.basic(r.header("Authorization"));
        if (basic != null) {
            Sessions.LoginResult lr = sessions.login(basic[0], basic[1]);
            if (!lr.ok()) {
                return Pages.unauthorized(lr.failure());
            }
            r.user = lr.user();
            return sessions.create(lr.user().username());
        }
        return anonymous(r);
    }

    private static Resp anonymous(Http.Req r) {
        String ua = r.header("User-Agent");
        if (ua != null && BROWSER.matcher(ua).matches()) {
            return new Resp(302, null, new byte[0], Map.of("Location", "/app/template/Login.vm"));
        }
        return Pages.unauthorized(null).withHeader("WWW-Authenticate", "Basic realm=\"XNAT\"");
    }

    private Resp jsession(Http.Req r) {
        String[] basic = Sessions.basic(r.header("Authorization"));
        if (basic != null) {
            Sessions.LoginResult lr = sessions.login(basic[0], basic[1]);
            logins.increment();
            if (!lr.ok()) {
                failedLogins.increment();
                return Pages.unauthorized(lr.failure());
            }
            String id = sessions.create(lr.user().username());
            if (mustChangePassword(lr.user())) {
                return changePasswordRedirect().withHeader("Set-Cookie", setCookie(id));
            }
            return sessionBody(r, id).withHeader("Set-Cookie", setCookie(id));
        }
        String existing = cookie(r);
        var user = sessions.resolve(existing);
        if (user.isPresent()) {
            return mustChangePassword(user.get()) ? changePasswordRedirect() : sessionBody(r, existing);
        }
        return anonymous(r);
    }

    private static Resp sessionBody(Http.Req r, String id) {
        String body = "true".equalsIgnoreCase(r.q("CSRF")) ? id + "; XNAT_CSRF=" + java.util.UUID.randomUUID() : id;
        return Resp.text(200, body);
    }

    private Resp logout(Http.Req r) {
        var user = sessions.resolve(cookie(r));
        if (user.isPresent() && mustChangePassword(user.get())) {
            // only /app/action/LogoutUser is exempt from the expired-password filter, not /data/JSESSION
            return changePasswordRedirect();
        }
        sessions.invalidate(cookie(r));
        return Resp.empty(200);
    }

    private static String setCookie(String id) {
        return "JSESSIONID=" + id + "; Path=/; HttpOnly";
    }

    private void send(HttpExchange ex, String op, Resp r, String newSession) throws IOException {
        var h = ex.getResponseHeaders();
        if (r.contentType() != null) {
            h.set("Content-Type", r.contentType());
        }
        r.headers().forEach(h::set);
        if (newSession != null) {
            h.add("Set-Cookie", setCookie(newSession));
        }
        byte[] body = r.body();
        boolean noBody = body.length == 0 || r.status() == 204 || r.status() == 304;
        ex.sendResponseHeaders(r.status(), noBody ? -1 : body.length);
        if (!noBody) {
            // Counted before writing: a client that has read the answer must see it in the counters.
            bytesSent.add(body.length);
            bytesPerOp.computeIfAbsent(op, k -> new LongAdder()).add(body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        }
    }

    /**
     * Standalone process: {@code --port=N} (default 8080) {@code --host=H} (default 127.0.0.1; 0.0.0.0 for
     * containers) {@code --threads=T --projects=P --users=U --subjects=S --experiments=E --demo
     * --session-timeout=SECONDS}. Prints "XNAT emulator listening on <url>" and runs until killed. Serves the admin
     * routes of {@link #adminRoutes()} for the benchmark scripts.
     *
     * <p>Not named {@code main}: test-classes must hold exactly one main class so that
     * {@code ./mvnw spring-boot:test-run} finds the demo application; {@code bench/XnatEmulatorMain.java}
     * launches this one.
     */
    public static void runStandalone(String[] args) throws InterruptedException {
        int port = 8080;
        int projects = 0;
        int users = 0;
        int subjects = 2;
        int experiments = 2;
        boolean demo = false;
        String host = null;
        int threads = Integer.getInteger("xnat.emulator.threads", DEFAULT_THREADS);
        Integer sessionTimeout = null;
        for (String a : args) {
            if (a.startsWith("--port=")) {
                port = Integer.parseInt(a.substring(7));
            } else if (a.startsWith("--projects=")) {
                projects = Integer.parseInt(a.substring(11));
            } else if (a.startsWith("--users=")) {
                users = Integer.parseInt(a.substring(8));
            } else if (a.startsWith("--subjects=")) {
                subjects = Integer.parseInt(a.substring(11));
            } else if (a.startsWith("--experiments=")) {
                experiments = Integer.parseInt(a.substring(14));
            } else if (a.startsWith("--host=")) {
                host = a.substring(7);
            } else if (a.startsWith("--threads=")) {
                threads = Integer.parseInt(a.substring(10));
            } else if (a.startsWith("--session-timeout=")) {
                sessionTimeout = Integer.parseInt(a.substring(18));
            } else if (a.equals("--demo")) {
                demo = true;
            } else {
                System.err.println("Unknown argument " + a + "; use --port=N --host=H --threads=T --projects=P "
                        + "--users=U --subjects=S --experiments=E --demo --session-timeout=SECONDS");
                System.exit(2);
            }
        }
        XnatEmulator emu = new XnatEmulator(host, port, threads);
        emu.adminRoutes();
        if (sessionTimeout != null) {
            emu.setSessionIdleTimeout(Duration.ofSeconds(sessionTimeout));
        }
        if (demo) {
            emu.seedDemo();
        }
        if (projects > 0 || users > 0) {
            emu.seedBulk(projects, subjects, experiments, users);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(emu::close));
        System.out.println("XNAT emulator listening on " + emu.baseUrl());
        Thread.currentThread().join();
    }

    /**
     * Admin routes for out-of-process drivers (bench/); outside XNAT's namespace, never counted as XNAT calls:
     * {@code GET /__emulator/counters} (JSON: totalCalls, bytesSent, logins, failedLogins, injectedFaults,
     * calls{op}, bytes{op}),
     * {@code POST /__emulator/reset} (counters), {@code POST /__emulator/faults?op=*&status=500&probability=0.1}
     * (a STATUS fault; op defaults to every operation but logins; {@code delayMs=10} instead of status adds a DELAY,
     * e.g. to model XNAT's own service time), {@code DELETE /__emulator/faults}.
     */
    private void adminRoutes() {
        server.createContext("/__emulator/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                String path = ex.getRequestURI().getPath();
                String method = ex.getRequestMethod();
                Map<String, String> q = Http.query(ex.getRequestURI().getRawQuery());
                Object answer;
                if (path.equals("/__emulator/counters") && method.equals("GET")) {
                    Map<String, Long> bytes = new TreeMap<>();
                    bytesPerOp.forEach((k, v) -> bytes.put(k, v.sum()));
                    Map<String, Object> m = new java.util.LinkedHashMap<>();
                    m.put("totalCalls", totalCalls());
                    m.put("bytesSent", bytesSent());
                    m.put("logins", logins());
                    m.put("failedLogins", failedLogins());
                    m.put("injectedFaults", injectedFaults.sum());
                    m.put("calls", callCounts());
                    m.put("bytes", bytes);
                    answer = m;
                } else if (path.equals("/__emulator/reset") && method.equals("POST")) {
                    resetCounters();
                    answer = Map.of("reset", true);
                } else if (path.equals("/__emulator/faults") && method.equals("POST")) {
                    double probability = Double.parseDouble(q.getOrDefault("probability", "1"));
                    String op = q.getOrDefault("op", ANY_OPERATION);
                    if (q.containsKey("delayMs")) {
                        int ms = Integer.parseInt(q.get("delayMs"));
                        inject(op, Fault.delay(Duration.ofMillis(ms)), probability);
                        answer = Map.of("op", op, "delayMs", ms, "probability", probability);
                    } else {
                        int status = Integer.parseInt(q.getOrDefault("status", "500"));
                        inject(op, Fault.status(status, "<html><body>Injected " + status + "</body></html>"),
                                probability);
                        answer = Map.of("op", op, "status", status, "probability", probability);
                    }
                } else if (path.equals("/__emulator/faults") && method.equals("DELETE")) {
                    clearFaults();
                    answer = Map.of("cleared", true);
                } else {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] b = Http.MAPPER.writeValueAsBytes(answer);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
            }
        });
    }
}
