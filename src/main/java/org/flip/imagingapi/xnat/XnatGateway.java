package org.flip.imagingapi.xnat;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ChannelOption;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.flip.imagingapi.config.XnatProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.DefaultUriBuilderFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The only code that sends HTTP to XNAT. Every call goes through {@link #call}: it carries the
 * service account's session (logging in again once, single-flight, on an expired session), runs
 * inside its time budget, forwards the request id, is timed per operation, and turns transport
 * failures into our 503/504/502.
 */
@Component
class XnatGateway {

    private static final Logger log = LoggerFactory.getLogger(XnatGateway.class);
    private static final byte[] EMPTY = new byte[0];
    static final XnatOperation LOGIN = new XnatOperation("login of the service account",
            HttpMethod.POST, "/data/JSESSION", XnatOperation.Budget.LOGIN, false);
    static final XnatOperation LOGOUT = new XnatOperation("logout of the service account",
            HttpMethod.DELETE, "/data/JSESSION", XnatOperation.Budget.LOGIN, true);

    private final WebClient webClient;
    private final XnatProperties properties;
    private final ObjectMapper objectMapper;
    private final ObjectReader rowReader;
    private static final TypeReference<Map<String, String>> ROW = new TypeReference<>() { };
    private final MeterRegistry registry;
    private final XnatSession session;
    private final String basicAuth;
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private final Bulkhead bulkhead;

    /** The resilience4j instance name used for retry, circuit breaker and bulkhead (application.yml). */
    static final String RESILIENCE_INSTANCE = "xnat";

    XnatGateway(WebClient.Builder builder, XnatProperties properties, ObjectMapper objectMapper,
            MeterRegistry registry, RetryRegistry retries, CircuitBreakerRegistry breakers, BulkheadRegistry bulkheads) {
        this.retry = retries.retry(RESILIENCE_INSTANCE);
        this.circuitBreaker = breakers.circuitBreaker(RESILIENCE_INSTANCE);
        this.bulkhead = bulkheads.bulkhead(RESILIENCE_INSTANCE);
        this.properties = properties;
        this.objectMapper = objectMapper;
        this.rowReader = objectMapper.readerFor(ROW);
        this.registry = registry;
        this.session = new XnatSession(properties.login(), Clock.systemUTC(), registry);
        this.basicAuth = "Basic " + Base64.getEncoder().encodeToString(
                (properties.serviceUser() + ":" + properties.servicePassword()).getBytes(StandardCharsets.UTF_8));
        this.webClient = webClient(builder, properties);
    }

    private static WebClient webClient(WebClient.Builder builder, XnatProperties properties) {
        ConnectionProvider pool = ConnectionProvider.builder("xnat")
                .maxConnections(properties.maxConnections())
                .pendingAcquireTimeout(properties.timeouts().standard())
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        HttpClient http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.timeouts().connect().toMillis())
                // Reactor Netty would silently resend a request on a pooled connection that closed
                // under it, POSTs included; replays are our decision (see XnatOperation.idempotent).
                .disableRetry(true);
        // Strict encoding of every URI variable: '/' '?' '#' '%' in a value stay inside its segment.
        DefaultUriBuilderFactory uris = new DefaultUriBuilderFactory(properties.url().toString());
        uris.setEncodingMode(DefaultUriBuilderFactory.EncodingMode.TEMPLATE_AND_VALUES);
        return builder.clone()
                // xnat.client.requests (below) already times every call by URI template and outcome;
                // Boot's http.client.requests observation would time it a second time on the hot path.
                .observationRegistry(io.micrometer.observation.ObservationRegistry.NOOP)
                .uriBuilderFactory(uris)
                .clientConnector(new ReactorClientHttpConnector(http))
                .defaultHeader(HttpHeaders.USER_AGENT, "imaging-api")
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize((int) properties.maxResponseSize().toBytes()))
                .build();
    }

    /** Calls XNAT as the service account; any status comes back, transport failures are thrown. */
    XnatResponse call(XnatOperation operation, Object... uriVariables) {
        return call(operation, null, uriVariables);
    }

    XnatResponse call(XnatOperation operation, XnatBody body, Object... uriVariables) {
        requireSafeSegments(operation, uriVariables);
        if (XnatDeadline.spent()) {
            throw XnatFailure.outOfTime("The time for this request is spent; XNAT " + operation.description()
                    + " was not attempted.");
        }
        long deadline = XnatDeadline.cap(System.nanoTime() + budget(operation).toNanos());
        if (!operation.idempotent()) {
            // A create that failed in flight may have happened: the caller looks before trying again.
            return callOnce(operation, body, uriVariables, deadline);
        }
        Retry.Context<XnatResponse> attempts = retry.context();
        while (true) {
            try {
                XnatResponse response = callOnce(operation, body, uriVariables, deadline);
                if (attempts.onResult(response) && System.nanoTime() < deadline) {
                    log.info("XNAT answered {} with HTTP {}; trying again", operation.key(), response.status());
                    continue;
                }
                attempts.onComplete();
                return response;
            } catch (XnatFailure failure) {
                try {
                    attempts.onError(failure); // waits, or throws when the policy allows no other attempt
                } catch (Exception exhausted) {
                    throw failure;
                }
                if (System.nanoTime() >= deadline) {
                    throw failure;
                }
                log.info("XNAT call {} failed ({}); trying again", operation.key(), failure.detail());
            }
        }
    }

    private XnatResponse callOnce(XnatOperation operation, XnatBody body, Object[] uriVariables, long deadline) {
        String sessionId = session.current(this::login);
        XnatResponse response = send(operation, body, uriVariables, cookie(sessionId), deadline);
        if (PasswordExpiry.isRedirectToChangePassword(response)) {
            // The password expired since the session was opened: the login that renew() makes is
            // refused the same way, which starts the back-off; nothing is sent again.
            log.warn("XNAT redirected {} to the change-password page: the service account's password has expired",
                    operation.key());
            session.renew(sessionId, this::login);
            throw PasswordExpiry.failure(response.status());
        }
        if (response.status() == 401 && isExpiredSession(response)) {
            log.info("XNAT session expired during {}; logging in again", operation.key());
            String fresh = session.renew(sessionId, this::login);
            response = send(operation, body, uriVariables, cookie(fresh), deadline);
            if (response.status() == 401) {
                throw XnatFailure.rejected("XNAT " + operation.description()
                        + " failed: HTTP 401 even with a fresh session of the service account - "
                        + XnatBodies.excerpt(response.body()), 401);
            }
        }
        return response;
    }

    /**
     * Last line of defence behind the controllers' validation: an empty or dot-segment value would
     * change which XNAT resource a template names, even when percent-encoded.
     */
    private static void requireSafeSegments(XnatOperation operation, Object[] uriVariables) {
        for (Object value : uriVariables) {
            String text = String.valueOf(value);
            if (text.isEmpty() || text.equals(".") || text.equals("..")) {
                throw new IllegalArgumentException(
                        "An identifier for XNAT " + operation.description() + " is empty or a dot-segment");
            }
        }
    }

    /**
     * A blocking XNAT call run on Reactor's bounded-elastic scheduler, so that a caller can make
     * two calls at once ({@code Mono.zip}); the request id travels with it to XNAT and the log, and
     * so does the caller's time limit ({@link XnatDeadline}, a thread-local like the MDC).
     */
    <T> Mono<T> async(Supplier<T> call) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Supplier<T> bounded = XnatDeadline.carried(call);
        return Mono.fromSupplier(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                return bounded.get();
            } finally {
                MDC.clear();
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** Calls one of XNAT's open URLs (no session). */
    XnatResponse callAnonymous(XnatOperation operation, Object... uriVariables) {
        return send(operation, null, uriVariables, headers -> { }, 0);
    }

    XnatBody json(Object value) {
        try {
            return XnatBody.json(objectMapper.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not serialise an XNAT request body", e);
        }
    }

    /**
     * Reads a 2xx body as JSON. An HTML page (a login or error page on a 200) or a body that is not
     * the expected JSON is a 502, never data.
     */
    <T> T read(XnatResponse response, TypeReference<T> type) {
        return parse(response, parser -> objectMapper.readValue(parser, type));
    }

    /** Reads a 2xx JSON body with the given parser function; the same 502s as {@link #read}. */
    <T> T parse(XnatResponse response, JsonReading<T> reading) {
        if (!response.is2xx()) {
            throw logged(response.failure(), response);
        }
        if (response.isHtml()) {
            log.warn("XNAT answered {} with HTML where JSON was expected: {}", response.operation().key(),
                    XnatBodies.forLog(response.body()));
            throw XnatFailure.unusable("XNAT " + response.operation().description()
                    + " answered an HTML page where JSON was expected (HTTP " + response.status() + ")",
                    response.status());
        }
        try (JsonParser parser = objectMapper.createParser(response.body())) {
            return reading.read(parser);
        } catch (IOException e) {
            log.warn("XNAT answered {} with a body that is not the expected JSON ({}): {}",
                    response.operation().key(), e.getClass().getSimpleName(), XnatBodies.forLog(response.body()));
            throw XnatFailure.unusable("XNAT " + response.operation().description()
                    + " answered a body that is not the expected JSON (HTTP " + response.status() + ")",
                    response.status());
        }
    }

    /** A JSON reading step that may fail on malformed input. */
    @FunctionalInterface
    interface JsonReading<T> {
        T read(JsonParser parser) throws IOException;
    }

    /** The rows of a {@code /data} listing (every value a string, {@code ""} for SQL NULL). */
    List<Map<String, String>> rows(XnatResponse response) {
        return rows(response, row -> row);
    }

    /**
     * The rows of a {@code /data} listing, each mapped as it is read (null results are left out), unmodifiable.
     * Streams: a 10,000-row listing never exists as a tree or a list of maps, only as the mapped
     * results. The listing shape is {@code {"ResultSet":{"Result":[{...}, ...]}}}; anything else is a 502.
     */
    <T> List<T> rows(XnatResponse response, Function<Map<String, String>, T> mapper) {
        return parse(response, parser -> {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(parser, "not a ResultSet envelope");
            }
            List<T> rows = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("ResultSet".equals(field) && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = parser.currentName();
                        if (parser.nextToken() == JsonToken.START_ARRAY && "Result".equals(inner)) {
                            rows = readRows(parser, mapper);
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (rows == null) {
                throw new JsonParseException(parser, "no ResultSet.Result list");
            }
            return rows;
        });
    }

    private <T> List<T> readRows(JsonParser parser,
            Function<Map<String, String>, T> mapper) throws IOException {
        List<T> rows = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            Map<String, String> row = rowReader.readValue(parser);
            T mapped = mapper.apply(row);
            if (mapped != null) {
                rows.add(mapped);
            }
        }
        return Collections.unmodifiableList(rows);
    }

    /** The failure for an answer the caller cannot use, with XNAT's full body logged. */
    XnatFailure unexpected(XnatResponse response) {
        return logged(response.failure(), response);
    }

    private XnatFailure logged(XnatFailure failure, XnatResponse response) {
        log.warn("XNAT {} answered HTTP {}: {}", response.operation().key(), response.status(),
                XnatBodies.forLog(response.body()));
        return failure;
    }

    ObjectMapper objectMapper() {
        return objectMapper;
    }

    private String login() {
        XnatResponse response = send(LOGIN, null, new Object[0],
                headers -> headers.set(HttpHeaders.AUTHORIZATION, basicAuth), 0);
        if (response.status() == 401 || response.status() == 403) {
            log.warn("XNAT refused the service account login: HTTP {}: {}", response.status(),
                    XnatBodies.forLog(response.body()));
            throw XnatFailure.serviceAccountRejected("XNAT rejected the service account (HTTP " + response.status()
                    + " on login): check XNAT_SERVICE_USER and XNAT_SERVICE_PASSWORD, and that the account is not "
                    + "locked or disabled in XNAT.", response.status());
        }
        if (PasswordExpiry.isRedirectToChangePassword(response)) {
            log.warn("XNAT answered the service account login with a redirect to its change-password page: "
                    + "the account's password has expired");
            throw PasswordExpiry.failure(response.status());
        }
        if (!response.is2xx()) {
            throw unexpected(response);
        }
        String id = response.text().strip();
        if (id.isEmpty() || response.isHtml() || !id.matches("[A-Za-z0-9._-]{8,200}")) {
            log.warn("XNAT's login answered without a usable session id ({} bytes)", response.body().length);
            throw XnatFailure.unusable("XNAT " + LOGIN.description()
                    + " answered without a usable session id (HTTP " + response.status() + ")", response.status());
        }
        return id;
    }

    @PreDestroy
    void logout() {
        String id = session.clear();
        if (id == null) {
            return;
        }
        try {
            XnatResponse response = send(LOGOUT, null, new Object[0], cookie(id), 0);
            if (PasswordExpiry.isRedirectToChangePassword(response)) {
                // The expired-password filter covers /data/JSESSION too; the session ends at XNAT's timeout.
                log.warn("XNAT did not log the service account out at shutdown: the account's password has expired "
                        + "(HTTP {} to the change-password page); its session ends at XNAT's session timeout",
                        response.status());
            } else if (response.is2xx()) {
                log.info("Logged out of XNAT (HTTP {})", response.status());
            } else {
                log.info("XNAT answered the logout at shutdown with HTTP {}", response.status());
            }
        } catch (RuntimeException e) {
            log.info("Could not log out of XNAT at shutdown: {}", e.getMessage());
        }
    }

    boolean hasSession() {
        return session.hasSession();
    }

    private static Consumer<HttpHeaders> cookie(String sessionId) {
        return headers -> headers.set(HttpHeaders.COOKIE, "JSESSIONID=" + sessionId);
    }

    /**
     * XNAT's plugins (Container Service, event service) answer 401 with a text message when the
     * account lacks a permission; that is not an expired session and a new login would not help.
     */
    private static boolean isExpiredSession(XnatResponse response) {
        MediaType type = response.contentType();
        boolean pluginMessage = type != null && type.isCompatibleWith(MediaType.TEXT_PLAIN)
                && response.body().length > 0;
        return !pluginMessage;
    }

    /**
     * One HTTP exchange, inside the bulkhead (bounded concurrency towards XNAT) and the circuit
     * breaker (which counts transport failures, timeouts and, through its result predicate
     * {@link XnatRetryPolicy.ServerError}, XNAT 5xx answers; never 4xx), both resilience4j's.
     *
     * @param deadline System.nanoTime() by which the whole call must end, 0 for the plain budget
     */
    private XnatResponse send(XnatOperation operation, XnatBody body, Object[] uriVariables,
            Consumer<HttpHeaders> auth, long deadline) {
        Supplier<XnatResponse> guarded = Bulkhead.decorateSupplier(bulkhead, CircuitBreaker.decorateSupplier(
                circuitBreaker, () -> exchange(operation, body, uriVariables, auth, deadline)));
        try {
            return guarded.get();
        } catch (BulkheadFullException e) {
            log.warn("Bulkhead full: refusing {} rather than piling up on XNAT", operation.key());
            throw XnatFailure.busy("Too many concurrent calls to XNAT right now (" + operation.description()
                    + "); try again shortly.");
        } catch (CallNotPermittedException e) {
            Duration wait = Duration.ofMillis(
                    circuitBreaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
            throw XnatFailure.circuitOpen("XNAT is failing; calls to it are paused after repeated failures ("
                    + operation.description() + " not attempted).", wait);
        }
    }

    private XnatResponse exchange(XnatOperation operation, XnatBody body, Object[] uriVariables,
            Consumer<HttpHeaders> auth, long deadline) {
        Duration budget = budget(operation);
        Duration timeout = budget;
        if (deadline != 0) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw XnatFailure.timedOut("XNAT did not answer " + operation.description() + " within "
                        + budget.toMillis() + " ms.");
            }
            timeout = Duration.ofNanos(Math.min(budget.toNanos(), remaining));
        }
        String requestId = MDC.get("requestId");
        Timer.Sample sample = Timer.start(registry);
        String outcome = "IO_ERROR";
        try {
            WebClient.RequestBodySpec spec = webClient.method(operation.method())
                    .uri(operation.template(), uriVariables)
                    .headers(headers -> {
                        auth.accept(headers);
                        if (requestId != null) {
                            headers.set("X-Request-ID", requestId);
                        }
                    });
            WebClient.RequestHeadersSpec<?> request = body == null ? spec
                    : spec.contentType(body.type()).bodyValue(body.bytes());
            XnatResponse response = request
                    .exchangeToMono(r -> r.bodyToMono(byte[].class).defaultIfEmpty(EMPTY)
                            .map(bytes -> new XnatResponse(operation, r.statusCode().value(),
                                    HttpHeaders.readOnlyHttpHeaders(r.headers().asHttpHeaders()), bytes)))
                    .timeout(timeout)
                    .block();
            outcome = Integer.toString(response.status());
            return response;
        } catch (RuntimeException e) {
            XnatFailure failure = translate(operation, budget, e);
            outcome = failure instanceof XnatFailure.InDoubt doubt && doubt.reason() == XnatFailure.InDoubt.Reason.TIMED_OUT
                    ? "TIMEOUT" : "IO_ERROR";
            throw failure;
        } finally {
            sample.stop(timer(operation, outcome));
        }
    }

    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

    /** Timers by URI template and outcome, built once (not per call). */
    private Timer timer(XnatOperation operation, String outcome) {
        return timers.computeIfAbsent(operation.key() + '|' + outcome, key -> Timer.builder("xnat.client.requests")
                .description("Calls to XNAT by operation (URI template)")
                .tag("operation", operation.key())
                .tag("outcome", outcome)
                .register(registry));
    }

    private Duration budget(XnatOperation operation) {
        XnatProperties.Timeouts timeouts = properties.timeouts();
        return switch (operation.budget()) {
            case STANDARD -> timeouts.standard();
            case SLOW -> timeouts.slow();
            case LOGIN -> timeouts.login();
        };
    }

    /**
     * Why no connection was made, in words; null when one was (the request may have gone out).
     * Looks along the whole cause chain: Netty's resolver puts its own exception under the
     * {@link UnknownHostException} (a DNS "NXDOMAIN" cause).
     */
    private static String notConnected(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            String words = notConnectedBy(t);
            if (words != null) {
                return words;
            }
        }
        return null;
    }

    private static String notConnectedBy(Throwable root) {
        if (root instanceof UnknownHostException) {
            return "its host name does not resolve";
        }
        if (root instanceof NoRouteToHostException) {
            return "no network route to its host";
        }
        if (root instanceof ConnectException) {
            return root.getClass().getSimpleName().contains("Timeout")
                    ? "no connection within xnat.timeouts.connect" : "the connection was refused";
        }
        return null;
    }

    private static XnatFailure translate(XnatOperation operation, Duration budget, RuntimeException e) {
        Throwable cause = Exceptions.unwrap(e);
        if (cause instanceof XnatFailure failure) {
            return failure;
        }
        if (cause instanceof TimeoutException) {
            log.warn("XNAT did not answer {} within {} ms", operation.key(), budget.toMillis());
            return XnatFailure.timedOut("XNAT did not answer " + operation.description() + " within "
                    + budget.toMillis() + " ms.");
        }
        Throwable root = NestedExceptionUtils.getMostSpecificCause(cause);
        String refusal = cause instanceof WebClientRequestException ? notConnected(cause) : null;
        if (refusal != null) {
            log.warn("XNAT is unreachable for {}: {}", operation.key(), root.toString());
            return XnatFailure.unreachable("XNAT is unreachable (" + operation.description() + "): " + refusal + ".",
                    cause);
        }
        if (root.getClass().getSimpleName().equals("PoolAcquireTimeoutException")) {
            log.warn("No connection to XNAT became free for {} in time", operation.key());
            return XnatFailure.busy("Every connection to XNAT is busy (" + operation.description()
                    + " not attempted); try again shortly.");
        }
        if (root instanceof DataBufferLimitException) {
            log.warn("XNAT's answer to {} exceeded the response size limit", operation.key());
            return XnatFailure.unusable("XNAT's answer to " + operation.description()
                    + " is larger than xnat.max-response-size.", 0);
        }
        log.warn("XNAT call {} failed: {}", operation.key(), root.toString());
        return XnatFailure.connectionLost("XNAT " + operation.description()
                + " failed: the connection to XNAT was lost before it answered.", cause);
    }
}
