package org.flip.imagingapi.xnat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SingleFlightTest {

    @Test
    void concurrentCallersShareOneFetch() throws Exception {
        SingleFlight<String> flight = new SingleFlight<>();
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> flight.get(() -> {
                    fetches.incrementAndGet();
                    await(release);
                    return "listing";
                })));
            }
            Thread.sleep(300);
            release.countDown();
            for (Future<String> result : results) {
                assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("listing");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fetches.get()).isLessThan(8).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aCallAfterTheFetchCompletedFetchesAgain() {
        SingleFlight<Integer> flight = new SingleFlight<>();
        AtomicInteger fetches = new AtomicInteger();

        flight.get(fetches::incrementAndGet);
        flight.get(fetches::incrementAndGet);

        assertThat(fetches.get()).isEqualTo(2);
    }

    @Test
    void aFailureReachesTheCallerAsItself() {
        SingleFlight<String> flight = new SingleFlight<>();
        XnatFailure failure = TestFailures.rejected("XNAT user listing failed: HTTP 500", 500);

        assertThatThrownBy(() -> flight.get(() -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(flight.get(() -> "recovered")).isEqualTo("recovered");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
