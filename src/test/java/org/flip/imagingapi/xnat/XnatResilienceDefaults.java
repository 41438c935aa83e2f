package org.flip.imagingapi.xnat;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Duration;

/** The resilience settings of application.yml, for gateway tests that run without Spring. */
final class XnatResilienceDefaults {

    private XnatResilienceDefaults() {
    }

    static RetryRegistry retries() {
        return RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(3)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(100), 2, 0.5))
                .retryOnResult(new XnatRetryPolicy.RetryableResult())
                .retryOnException(new XnatRetryPolicy.RetryableFailure())
                .build());
    }

    static CircuitBreakerRegistry breakers() {
        return CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(50).minimumNumberOfCalls(20).failureRateThreshold(50)
                .recordResult(new XnatRetryPolicy.ServerError())
                .waitDurationInOpenState(Duration.ofSeconds(10)).build());
    }

    static BulkheadRegistry bulkheads() {
        return BulkheadRegistry.of(BulkheadConfig.custom().maxConcurrentCalls(48)
                .maxWaitDuration(Duration.ofSeconds(2)).build());
    }
}
