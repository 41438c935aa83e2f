package org.flip.imagingapi.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import org.apache.catalina.Container;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
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
 *
 * <p>An answer given before the request body was read to its end (401 from the key filter, 413, a
 * 404 or 415 with a body, a body sent to {@code /health}) closes the connection: by default Tomcat
 * reads the rest of the body on the request thread to keep the connection alive, so a client
 * dribbling a body it never finishes would hold that thread for as long as it likes (issue 15).
 */
@Configuration(proxyBeanMethods = false)
class TomcatProblemConfig {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemPagesForTomcat() {
        return factory -> {
            factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
            factory.addEngineValves(new CloseOnUnreadBodyValve());
            useProblemReportValve(factory);
        };
    }

    /** Tomcat's own error page (for requests it refuses itself) becomes {@link ProblemReportValve}. */
    static void useProblemReportValve(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Container parent = context.getParent();
            if (parent instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
        });
    }

    /**
     * Adds {@code Connection: close} to an answer given while part of the request body is still
     * unread, and tells Tomcat not to read ("swallow") the rest. Tomcat skips the swallow itself only
     * after 400, 413 and some 5xx, and adds the header only for a declared length over its swallow
     * size ({@code server.tomcat.max-swallow-size}), never for a chunked body.
     */
    static class CloseOnUnreadBodyValve extends ValveBase {

        CloseOnUnreadBodyValve() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            org.apache.coyote.Request coyote = request.getCoyoteRequest();
            // The header must be set before the answer is committed: when its status or body starts.
            response.setResponse(new HttpServletResponseWrapper(response.getResponse()) {
                @Override
                public void setStatus(int status) {
                    closeIfBodyUnread();
                    super.setStatus(status);
                }

                @Override
                public void sendError(int status) throws IOException {
                    closeIfBodyUnread();
                    super.sendError(status);
                }

                @Override
                public void sendError(int status, String message) throws IOException {
                    closeIfBodyUnread();
                    super.sendError(status, message);
                }

                @Override
                public ServletOutputStream getOutputStream() throws IOException {
                    closeIfBodyUnread();
                    return super.getOutputStream();
                }

                @Override
                public PrintWriter getWriter() throws IOException {
                    closeIfBodyUnread();
                    return super.getWriter();
                }

                private void closeIfBodyUnread() {
                    if (!isCommitted() && !coyote.isFinished()) {
                        setHeader("Connection", "close");
                    }
                }
            });
            getNext().invoke(request, response);
            if (!request.isAsync() && !coyote.isFinished()) {
                if (!response.isCommitted()) {
                    response.setHeader("Connection", "close");
                }
                coyote.action(ActionCode.DISABLE_SWALLOW_INPUT, null);
            }
        }
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
            // The raw (undecoded) request URI of a refused request; null when not even the request line parsed.
            String uri = request.getRequestURI();
            String instance = uri == null ? "" : ",\"instance\":\"" + asciiJson(uri) + "\"";
            String body = "{\"type\":\"https://imaging-api.flip/problems/" + code.replace('_', '-')
                    + "\",\"title\":\"" + resolved.getReasonPhrase() + "\",\"status\":" + status
                    + ",\"detail\":\"" + Problems.detailFor(resolved) + "\"" + instance
                    + ",\"code\":\"" + code + "\"}";
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

        /** A JSON string's content, ASCII only: quotes, backslashes, control and non-ASCII characters escaped. */
        private static String asciiJson(String text) {
            StringBuilder out = new StringBuilder(text.length());
            for (char c : text.toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20 || c > 0x7e) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
