package org.flip.imagingapi.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.flip.imagingapi.xnat.XnatDeadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The task runner gives up after 30 s and nobody retries a failed task by itself, so the long
 * operations (provisioning, user provisioning, project deletion) answer within a deadline
 * whatever XNAT does: lock waits and XNAT calls included.
 *
 * <p>The work runs on a small pool of its own; the request thread waits for it up to the
 * deadline. Past it the caller gets a 504 while the work carries on to completion, bounded by its
 * own budget (every XNAT call it makes ends within it), so that the next attempt finds it done.
 * One run per key at a time: a request for a key whose run is in flight waits for that run (up to
 * its own deadline) instead of starting a second one.
 */
@Component
public class CallerDeadline {

    private static final Logger log = LoggerFactory.getLogger(CallerDeadline.class);

    /** What the caller is told when the deadline strikes first. */
    public record Late(String code, String detail) {
    }

    private final Duration deadline;
    private final Duration backgroundBudget;
    private final ExecutorService pool;
    private final Map<String, CompletableFuture<Object>> running = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final AtomicInteger inBackground = new AtomicInteger();

    public CallerDeadline(@Value("${provisioning.deadline:25s}") Duration deadline,
            @Value("${provisioning.background-budget:5m}") Duration backgroundBudget,
            @Value("${provisioning.background-threads:16}") int threads, MeterRegistry registry) {
        this.deadline = deadline;
        this.backgroundBudget = backgroundBudget;
        this.registry = registry;
        AtomicInteger names = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "deadline-work-" + names.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        this.pool = executor;
        registry.gauge("imaging_api.background.runs.active", inBackground);
    }

    public Duration deadline() {
        return deadline;
    }

    /**
     * Runs {@code work} (keyed: one run per key at a time) and answers its result, or throws a 504
     * problem built from {@code late} when the deadline strikes first.
     */
    public <T> T run(String key, String operation, Supplier<T> work, Supplier<Late> late) {
        return run(key, operation, work, late, UnaryOperator.identity());
    }

    /**
     * As {@link #run(String, String, Supplier, Supplier)}; a request that waited for another
     * request's run answers {@code asJoiner} of that run's result.
     */
    @SuppressWarnings("unchecked")
    public <T> T run(String key, String operation, Supplier<T> work, Supplier<Late> late, UnaryOperator<T> asJoiner) {
        long start = System.nanoTime();
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> run = running.putIfAbsent(key, mine);
        if (run == null) {
            run = mine;
            start(key, operation, (Supplier<Object>) work, mine);
        } else {
            log.info("{} for {} is already running; waiting for that run", operation, key);
        }
        try {
            T result = (T) run.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
            return run == mine ? result : asJoiner.apply(result);
        } catch (TimeoutException e) {
            if (run == mine) {
                inBackground.incrementAndGet();
                mine.whenComplete((result, failure) -> inBackground.decrementAndGet());
            }
            log.warn("{} for {} did not finish within {} s; it carries on in the background", operation, key,
                    deadline.toSeconds());
            Late answer = late.get();
            throw new ProblemException(HttpStatus.GATEWAY_TIMEOUT, answer.code(), answer.detail());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "shutting_down",
                    "The service is shutting down; send the request again.");
        } finally {
            log.debug("{} for {} waited {} ms", operation, key, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private void start(String key, String operation, Supplier<Object> work, CompletableFuture<Object> mine) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        long requested = System.nanoTime();
        pool.execute(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                mine.complete(XnatDeadline.within(backgroundBudget, work));
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e);
            } finally {
                running.remove(key, mine);
                long took = (System.nanoTime() - requested) / 1_000_000;
                if (took > deadline.toMillis()) {
                    boolean failed = mine.isCompletedExceptionally();
                    counter(operation, failed ? "failed" : "completed").increment();
                    if (failed) {
                        log.warn("{} for {} failed in the background after {} ms", operation, key, took);
                    } else {
                        log.info("{} for {} completed in the background after {} ms", operation, key, took);
                    }
                }
                MDC.clear();
            }
        });
    }

    private Counter counter(String operation, String outcome) {
        return Counter.builder("imaging_api.background.runs")
                .description("Runs that outlived the caller's deadline and finished in the background")
                .tag("operation", operation).tag("outcome", outcome).register(registry);
    }

    /** Lets runs in flight finish (they are bounded by their budget), up to the drain the caller allows. */
    @PreDestroy
    void shutdown() throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(deadline.toSeconds() + 5, TimeUnit.SECONDS)) {
            log.warn("Background runs still in flight at shutdown; the next attempt of each completes it");
            pool.shutdownNow();
        }
    }
}
