package org.flip.imagingapi.web;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.Container;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/**
 * Requests that Tomcat refuses before Spring sees them (a NUL or backslash in the path, a broken
 * request line) still get a problem document instead of Tomcat's HTML page. An encoded slash is
 * passed through so that {@code /projects/a%2Fb} reaches the controller as one segment and fails
 * its identifier rule with a clear 422.
 */
@Configuration(proxyBeanMethods = false)
class TomcatProblemConfig {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemPagesForTomcat() {
        return factory -> {
            factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
            factory.addContextCustomizers(context -> {
                Container parent = context.getParent();
                if (parent instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemReportValve.class.getName());
                }
            });
        };
    }

    /** Tomcat's last-resort error page, as an RFC 9457 problem. */
    public static class ProblemReportValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0) {
                return;
            }
            HttpStatus resolved = HttpStatus.resolve(status);
            if (resolved == null) {
                resolved = status >= 500 ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.BAD_REQUEST;
            }
            String code = Problems.codeFor(resolved);
            String body = "{\"type\":\"https://imaging-api.flip/problems/" + code.replace('_', '-')
                    + "\",\"title\":\"" + resolved.getReasonPhrase() + "\",\"status\":" + status
                    + ",\"detail\":\"" + Problems.detailFor(resolved) + "\",\"code\":\"" + code + "\"}";
            try {
                // The body is ASCII; no charset parameter, like every other problem we answer.
                response.setContentType("application/problem+json");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(body);
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The client went away or the response was already committed: nothing more to say.
            }
        }
    }
}
