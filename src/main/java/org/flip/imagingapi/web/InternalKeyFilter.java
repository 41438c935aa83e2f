package org.flip.imagingapi.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.flip.imagingapi.config.InboundAuthProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Contract §1.2: every route but health, info and the API docs needs the trust's shared key.
 * Fails closed (no key configured = 401) and runs before anything that could call XNAT.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class InternalKeyFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(InternalKeyFilter.class);

    private final InboundAuthProperties properties;
    private final Problems problems;
    private final byte[] expected;

    public InternalKeyFilter(InboundAuthProperties properties, Problems problems) {
        this.properties = properties;
        this.problems = problems;
        this.expected = properties.configured() ? properties.key().getBytes(StandardCharsets.UTF_8) : null;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return isOpen(path);
    }

    static boolean isOpen(String path) {
        return path.equals("/health") || path.equals("/health/")
                || path.equals("/actuator/health") || path.startsWith("/actuator/health/")
                || path.equals("/actuator/info")
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
        // MessageDigest.isEqual is constant-time for equal lengths and leaks nothing but the length.
        if (!MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
            reject(request, response, "Invalid trust-internal service key.");
            return;
        }
        chain.doFilter(request, response);
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        log.warn("Rejected a {} request: {}", request.getMethod(), detail);
        problems.write(request, response, HttpStatus.UNAUTHORIZED, "unauthorized", detail);
    }
}
