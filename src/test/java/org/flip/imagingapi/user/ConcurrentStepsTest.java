package org.flip.imagingapi.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ConcurrentStepsTest {

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void resultsComeInTheItemsOrderWhateverOrderTheStepsFinishIn() {
        List<Integer> items = IntStream.range(0, 40).boxed().toList();

        List<Integer> results = new ConcurrentSteps(8).map(items, i -> {
            sleep((40 - i) % 7 * 5L);
            return i * 10;
        });

        assertThat(results).containsExactlyElementsOf(items.stream().map(i -> i * 10).toList());
    }

    /**
     * Many requests provisioning at once share the workers: together they never hold more than
     * {@link ConcurrentSteps#MAX_THREADS} worker threads (plus their own), so the XNAT bulkhead keeps room for
     * every other request; each request still completes, its extra lanes on its own thread.
     */
    @Test
    void requestsProvisioningAtOnceShareAtMostMaxThreadsWorkers() throws Exception {
        ConcurrentSteps steps = new ConcurrentSteps(8);
        AtomicInteger workers = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<Integer> items = IntStream.range(0, 64).boxed().toList();
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(6);
        List<java.util.concurrent.CompletableFuture<List<Integer>>> requests = IntStream.range(0, 6)
                .mapToObj(r -> java.util.concurrent.CompletableFuture.supplyAsync(() -> steps.map(items, i -> {
                    boolean worker = Thread.currentThread().getName().startsWith("user-step-");
                    if (worker) {
                        peak.accumulateAndGet(workers.incrementAndGet(), Math::max);
                    }
                    sleep(50);
                    if (worker) {
                        workers.decrementAndGet();
                    }
                    return i;
                }), callers))
                .toList();

        for (var request : requests) {
            assertThat(request.get()).containsExactlyElementsOf(items);
        }
        callers.shutdown();
        assertThat(peak.get()).as("worker threads busy at once, six requests at concurrency 8")
                .isGreaterThan(1).isLessThanOrEqualTo(16);
    }

    @Test
    void atMostTheConcurrencyRunAtOnceAndTheWorkersCarryTheMdc() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Set<String> requestIds = ConcurrentHashMap.newKeySet();
        MDC.put("requestId", "req-42");
        try {
            new ConcurrentSteps(3).map(IntStream.range(0, 30).boxed().toList(), i -> {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                threads.add(Thread.currentThread().getName());
                requestIds.add(String.valueOf(MDC.get("requestId")));
                sleep(10);
                running.decrementAndGet();
                return i;
            });
            assertThat(MDC.get("requestId")).isEqualTo("req-42");
        } finally {
            MDC.clear();
        }

        assertThat(peak.get()).isBetween(2, 3);
        assertThat(threads).hasSizeGreaterThan(1);
        assertThat(requestIds).containsExactly("req-42");
    }

    @Test
    void afterAFailureNothingNewStartsAndTheEarliestFailedItemsFailureIsThrown() {
        AtomicInteger started = new AtomicInteger();

        assertThatThrownBy(() -> new ConcurrentSteps(4).map(IntStream.range(0, 100).boxed().toList(), i -> {
            started.incrementAndGet();
            if (i == 5 || i == 2) {
                sleep(i == 2 ? 30 : 0); // the later item fails first
                throw new IllegalStateException("item " + i);
            }
            sleep(5);
            return i;
        })).hasMessage("item 2");

        assertThat(started.get()).as("no item starts after the failure").isLessThan(20);
    }

    @Test
    void oneAtATimeRunsOnTheCallersThread() {
        Set<String> threads = ConcurrentHashMap.newKeySet();

        new ConcurrentSteps(1).map(List.of(1, 2, 3), i -> threads.add(Thread.currentThread().getName()));

        assertThat(threads).containsExactly(Thread.currentThread().getName());
    }
}
