package org.flip.imagingapi.user;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.xnat.XnatDeadline;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;

/**
 * Runs one step per item with at most {@code concurrency} in flight, for per-user provisioning:
 * 200 users at 100 ms per XNAT call took 64 s one by one, beyond the caller's 30 s.
 *
 * <p>What the sequential loop guaranteed is kept: results come in the items' order; after a
 * failure no further item starts, the ones in flight finish (nothing runs on once the caller has
 * its answer), and the failure of the earliest failed item is thrown. Worker threads carry the
 * caller's MDC (the request id in logs and in {@code X-Request-ID} to XNAT) and its XNAT deadline
 * (a thread-local: without it a worker's calls would escape the caller's budget).
 */
final class ConcurrentSteps {

    /**
     * Worker threads across all requests; beyond it a request's extra lanes run on the caller (slower,
     * never refused). Each worker holds at most one XNAT call, so however many requests provision at
     * once, their per-user steps hold at most this many XNAT calls plus one per request (its own
     * thread): a third of the XNAT bulkhead (48), the rest stays free for every other request. One
     * request at the default concurrency (8 lanes, each with its side-by-side invitation) needs 15.
     */
    static final int MAX_THREADS = 16;

    private final int concurrency;
    private final ThreadPoolExecutor pool;

    ConcurrentSteps(int concurrency) {
        this.concurrency = concurrency;
        AtomicInteger names = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(0, MAX_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "user-step-" + names.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    int concurrency() {
        return concurrency;
    }

    /** {@code step} of every item, in the items' order. */
    @SuppressWarnings("unchecked")
    <T, R> List<R> map(List<T> items, Function<T, R> step) {
        int count = items.size();
        Object[] results = new Object[count];
        Throwable[] failures = new Throwable[count];
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        Runnable lane = () -> {
            int index;
            while (!failed.get() && (index = next.getAndIncrement()) < count) {
                try {
                    results[index] = step.apply(items.get(index));
                } catch (RuntimeException | Error e) {
                    failures[index] = e;
                    failed.set(true);
                }
            }
        };
        int lanes = Math.min(concurrency, count);
        List<Future<?>> workers = new ArrayList<>();
        if (lanes > 1) {
            Runnable carried = carried(lane);
            for (int i = 1; i < lanes; i++) {
                workers.add(pool.submit(carried));
            }
        }
        lane.run();
        boolean interrupted = false;
        for (Future<?> worker : workers) {
            while (true) {
                try {
                    worker.get();
                    break;
                } catch (InterruptedException e) {
                    // stop starting items, but wait: the steps in flight are bounded by the deadline
                    interrupted = true;
                    failed.set(true);
                } catch (ExecutionException e) {
                    break; // the lane catches every failure of a step; nothing else can fail it
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Throwable failure : failures) {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
        }
        if (interrupted) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "shutting_down",
                    "The service is shutting down; send the request again.");
        }
        return (List<R>) Arrays.asList(results);
    }

    /** The lane as it runs on a worker: with the caller's MDC and XNAT deadline. */
    private static Runnable carried(Runnable lane) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Supplier<Void> bounded = XnatDeadline.carried(() -> {
            lane.run();
            return null;
        });
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                bounded.get();
            } finally {
                if (previous == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(previous);
                }
            }
        };
    }
}
