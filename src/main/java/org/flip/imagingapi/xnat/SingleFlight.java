package org.flip.imagingapi.xnat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Callers that ask for the same full listing while one is being fetched share that fetch: one
 * XNAT call and one copy in memory instead of one per request (a 10,000-user listing is
 * megabytes). Nothing is cached after the fetch completes, so every answer is as fresh as a call
 * made at the time the caller arrived or later.
 */
final class SingleFlight<T> {

    private final AtomicReference<CompletableFuture<T>> inFlight = new AtomicReference<>();

    T get(Supplier<T> fetch) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> running = inFlight.compareAndExchange(null, mine);
        if (running != null) {
            return join(running);
        }
        try {
            T value = fetch.get();
            mine.complete(value);
            return value;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.compareAndSet(mine, null);
        }
    }

    /** The future's value, or the failure it completed with, unwrapped from CompletionException. */
    static <T> T join(CompletableFuture<T> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
