package org.flip.imagingapi.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses {@code ;} path parameters. Spring's path matching strips them from a segment, so
 * {@code /projects/P1;x=1} would reach the handler as project {@code P1}, and the identifier
 * rules of contract §1.4 would never see what the caller actually sent. No route of ours uses them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class PathParameterFilter extends OncePerRequestFilter {

    private final Problems problems;

    public PathParameterFilter(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getRequestURI().indexOf(';') >= 0) {
            problems.write(request, response, HttpStatus.BAD_REQUEST, "malformed_request",
                    "Path parameters (';') are not accepted.");
            return;
        }
        chain.doFilter(request, response);
    }
}
