package org.flip.imagingapi.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Predicate;
import org.apache.catalina.Container;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.net.ApplicationBufferHandler;
import org.springframework.beans.factory.ObjectProvider;
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
 * A caller presenting the key gets what it is still sending read for at most a second first, so
 * that the close does not reset the connection under an answer it has not read yet.
 */
@Configuration(proxyBeanMethods = false)
class TomcatProblemConfig {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemPagesForTomcat(
            ObjectProvider<InternalKeyFilter> keys) {
        Predicate<HttpServletRequest> trusted = request -> {
            InternalKeyFilter filter = keys.getIfAvailable();
            return filter != null && filter.presentsAcceptedKey(request);
        };
        return factory -> {
            factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
            factory.addEngineValves(new CloseOnUnreadBodyValve(trusted));
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

        /** Most of an unread body read for a caller with the key before its connection closes (Tomcat's swallow size). */
        static final long DRAIN_BYTES = 2L * 1024 * 1024;
        /** Longest time spent on that: a client still sending after it is closed as any other. */
        static final Duration DRAIN_TIME = Duration.ofSeconds(1);

        private final Predicate<HttpServletRequest> trusted;

        CloseOnUnreadBodyValve() {
            this(request -> false);
        }

        CloseOnUnreadBodyValve(Predicate<HttpServletRequest> trusted) {
            super(true);
            this.trusted = trusted;
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
                if (response.getStatus() != HttpStatus.REQUEST_TIMEOUT.value()
                        && request.getContentLengthLong() <= DRAIN_BYTES && trusted.test(request)) {
                    drain(request, response);
                }
                coyote.action(ActionCode.DISABLE_SWALLOW_INPUT, null);
            }
        }

        /**
         * A caller with the key that sends a body answered early (a 413 for a declared body over the
         * limit, a 415, a 404) gets the answer first, then up to {@link #DRAIN_BYTES} of what it is
         * still sending are read, for at most {@link #DRAIN_TIME}, before the connection closes.
         * Closing on unread bytes makes the kernel reset the connection, and a client still sending
         * (as most do: they read the answer once the body is out) then loses the answer it was sent.
         * A dribbling client holds the thread for that second and is closed; without the key nothing
         * is read at all.
         */
        private static void drain(Request request, Response response) {
            long end = System.nanoTime() + DRAIN_TIME.toNanos();
            long total = 0;
            // Below the servlet's own stream, which the container has closed by now.
            org.apache.coyote.Request coyote = request.getCoyoteRequest();
            Sink sink = new Sink();
            try {
                response.flushBuffer();
                while (total < DRAIN_BYTES && System.nanoTime() < end) {
                    int n = coyote.doRead(sink);
                    if (n < 0) {
                        return;
                    }
                    total += n;
                }
            } catch (IOException e) {
                // the client went away: nothing more to do
            }
        }

        /** Where Tomcat hands each piece of the body read; nothing keeps it. */
        private static final class Sink implements ApplicationBufferHandler {
            private ByteBuffer buffer = ByteBuffer.allocate(0);

            @Override
            public void setByteBuffer(ByteBuffer buffer) {
                this.buffer = buffer;
            }

            @Override
            public ByteBuffer getByteBuffer() {
                return buffer;
            }

            @Override
            public void expand(int size) {
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
