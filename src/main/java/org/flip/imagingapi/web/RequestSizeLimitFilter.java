package org.flip.imagingapi.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds request bodies (default 1 MB): a declared larger body is refused with 413 before it is
 * read; a chunked body is cut off as soon as it passes the limit. A body must also arrive within
 * {@code imaging-api.request-body-timeout} (default 10 s) of the first read: Tomcat's read timeout
 * drops a client that stops sending, this drops one that dribbles a byte now and then (408).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long limit;
    private final Duration timeout;
    private final Problems problems;

    public RequestSizeLimitFilter(@Value("${imaging-api.max-request-body:1MB}") DataSize limit,
            @Value("${imaging-api.request-body-timeout:10s}") Duration timeout, Problems problems) {
        this.limit = limit.toBytes();
        this.timeout = timeout;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > limit) {
            problems.write(request, response, HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large",
                    "The request body is larger than this service accepts (" + limit + " bytes).");
            return;
        }
        chain.doFilter(new LimitedRequest(request, limit, timeout), response);
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;
        private final Duration timeout;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit, Duration timeout) {
            super(request);
            this.limit = limit;
            this.timeout = timeout;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), limit, timeout);
            }
            return stream;
        }
    }

    private static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream delegate;
        private final long limit;
        private final Duration timeout;
        private final long deadline;
        private long read;

        LimitedStream(ServletInputStream delegate, long limit, Duration timeout) {
            this.delegate = delegate;
            this.limit = limit;
            this.timeout = timeout;
            this.deadline = System.nanoTime() + timeout.toNanos();
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = delegate.read(buffer, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > limit) {
                throw new RequestBodyTooLargeException(limit);
            }
            if (System.nanoTime() - deadline > 0 && !delegate.isFinished()) {
                throw new RequestBodyTimeoutException(timeout);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
