package org.flip.imagingapi.xnat;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A time limit for every XNAT call a piece of work makes on this thread: each call's timeout is
 * the smaller of its own budget and the time left, and once the time is spent no call is sent.
 * The caller-facing deadline ({@code web/CallerDeadline}) sets one for provisioning and deletion
 * runs.
 */
public final class XnatDeadline {

    private static final ThreadLocal<Long> END = new ThreadLocal<>();

    private XnatDeadline() {
    }

    /** Runs {@code work} with every XNAT call it makes on this thread ending within {@code limit}. */
    public static <T> T within(Duration limit, Supplier<T> work) {
        return until(System.nanoTime() + limit.toNanos(), work);
    }

    /**
     * {@code work} bound to this thread's current limit, to run on another thread: the limit is a
     * thread-local, so work handed to a worker thread would otherwise make its XNAT calls without
     * one. With no limit set, {@code work} itself.
     */
    public static <T> Supplier<T> carried(Supplier<T> work) {
        Long end = END.get();
        if (end == null) {
            return work;
        }
        return () -> until(end, work);
    }

    /** {@code work} with this thread's limit at most {@code end} (a System.nanoTime() value), then the limit before. */
    private static <T> T until(long end, Supplier<T> work) {
        Long outer = END.get();
        END.set(outer == null ? end : Math.min(outer, end));
        try {
            return work.get();
        } finally {
            if (outer == null) {
                END.remove();
            } else {
                END.set(outer);
            }
        }
    }

    /** The earlier of {@code callEnd} and the current limit (both System.nanoTime() values). */
    static long cap(long callEnd) {
        Long end = END.get();
        return end == null ? callEnd : Math.min(callEnd, end);
    }

    /** True when a limit is set and spent. */
    static boolean spent() {
        Long end = END.get();
        return end != null && System.nanoTime() >= end;
    }
}
