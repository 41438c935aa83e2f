package org.flip.imagingapi.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The management port (its own context, server and Tomcat) answers errors as problem documents too:
 * a path Tomcat refuses ({@code /actuator/health/a%2Fb}: 400) gets {@link TomcatProblemConfig.ProblemReportValve}
 * instead of Tomcat's HTML page, and an endpoint's bodiless error (the health endpoint's 404 for an
 * unknown group) gets a problem body. Unknown paths are already problems: {@link ProblemAdvice}, a
 * bean of the parent context, advises the management context's controllers too.
 *
 * <p>Listed in {@code META-INF/spring/...ManagementContextConfiguration.imports}; component scanning
 * finds it in the main context as well, where the condition leaves it out.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@Conditional(ManagementProblemConfig.InTheManagementChildContext.class)
class ManagementProblemConfig {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemPagesForManagementTomcat() {
        return TomcatProblemConfig::useProblemReportValve;
    }

    @Bean
    OncePerRequestFilter bodilessErrorsAsProblems(Problems problems) {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                    FilterChain chain) throws ServletException, IOException {
                BodyTracking tracking = new BodyTracking(response);
                chain.doFilter(request, tracking);
                HttpStatus status = HttpStatus.resolve(response.getStatus());
                if (status != null && status.isError() && !tracking.bodyStarted && !response.isCommitted()) {
                    problems.write(request, response, status, Problems.codeFor(status), Problems.detailFor(status));
                }
            }
        };
    }

    /** Notes whether anything asked for the body, so that only bodiless errors are filled in. */
    private static final class BodyTracking extends HttpServletResponseWrapper {

        private boolean bodyStarted;

        BodyTracking(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            bodyStarted = true;
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            bodyStarted = true;
            return super.getWriter();
        }
    }

    /** The management context is a child of the application's; the application's own has no parent. */
    static class InTheManagementChildContext implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return context.getBeanFactory() != null && context.getBeanFactory().getParentBeanFactory() != null;
        }
    }
}
