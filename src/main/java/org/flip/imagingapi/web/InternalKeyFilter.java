package org.flip.imagingapi.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.MessageDigest;
import org.flip.imagingapi.config.InboundAuthProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Contract §1.2: every route of the API port but health and the API docs needs the trust's shared
 * key. Fails closed (no key configured = 401) and runs before anything that could call XNAT. While a
 * key is rotated, the previous key is accepted too; which one matched is counted
 * ({@code inbound.key.accepted{key=current|previous}}) so that operators see when the old key is no
 * longer used, and never logged. (The management port is a context of its own: this filter is not there.)
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class InternalKeyFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(InternalKeyFilter.class);

    private final InboundAuthProperties properties;
    private final Problems problems;
    private final byte[] expected;
    private final byte[] previous;
    private final Counter currentAccepted;
    private final Counter previousAccepted;

    public InternalKeyFilter(InboundAuthProperties properties, Problems problems,
            ObjectProvider<MeterRegistry> registry) {
        this.properties = properties;
        this.problems = problems;
        this.expected = properties.configured() ? properties.key().getBytes(StandardCharsets.UTF_8) : null;
        this.previous = properties.rotating() ? properties.keyPrevious().getBytes(StandardCharsets.UTF_8) : null;
        MeterRegistry meters = registry.getIfAvailable(SimpleMeterRegistry::new);
        this.currentAccepted = accepted(meters, "current");
        this.previousAccepted = accepted(meters, "previous");
    }

    private static Counter accepted(MeterRegistry meters, String key) {
        return Counter.builder("inbound.key.accepted")
                .description("Requests let through by the trust's internal service key, by which key matched")
                .tag("key", key)
                .register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return isOpen(path);
    }

    static boolean isOpen(String path) {
        return path.equals("/health") || path.equals("/health/")
                || path.equals("/docs")
                || path.equals("/v3/api-docs") || path.startsWith("/v3/api-docs/") || path.equals("/v3/api-docs.yaml")
                || path.equals("/swagger-ui.html") || path.startsWith("/swagger-ui/")
                || path.equals("/error");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader(properties.keyHeader());
        if (presented == null || presented.isEmpty()) {
            reject(request, response, "Not authenticated: trust-internal service key is missing.");
            return;
        }
        if (expected == null) {
            reject(request, response, "Trust-internal service auth not configured.");
            return;
        }
        // MessageDigest.isEqual is constant-time for equal lengths and leaks nothing but the length; both
        // keys are always compared, so the time taken does not tell which one (if any) matched.
        byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
        boolean current = MessageDigest.isEqual(expected, candidate);
        boolean old = previous != null && MessageDigest.isEqual(previous, candidate);
        if (!current && !old) {
            reject(request, response, "Invalid trust-internal service key.");
            return;
        }
        (current ? currentAccepted : previousAccepted).increment();
        chain.doFilter(request, response);
    }

    /**
     * Whether the request presents an accepted key (the current or the previous one), compared as the
     * filter compares it, without counting it: the connector's valve asks this to decide how it treats
     * an unread body ({@code TomcatProblemConfig}).
     */
    public boolean presentsAcceptedKey(HttpServletRequest request) {
        String presented = request.getHeader(properties.keyHeader());
        if (presented == null || presented.isEmpty() || expected == null) {
            return false;
        }
        byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
        boolean current = MessageDigest.isEqual(expected, candidate);
        boolean old = previous != null && MessageDigest.isEqual(previous, candidate);
        return current || old;
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        log.warn("Rejected a {} request: {}", request.getMethod(), detail);
        problems.write(request, response, HttpStatus.UNAUTHORIZED, "unauthorized", detail);
    }
}
