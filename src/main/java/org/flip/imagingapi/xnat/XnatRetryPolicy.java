package org.flip.imagingapi.xnat;

import java.util.function.Predicate;

/**
 * What the {@code xnat} retry instance (application.yml) may replay, for idempotent operations
 * only: XNAT's 5xx answers and broken or refused connections. Never a timeout (the budget is
 * spent), never a rejected login (XNAT would lock the account), never our own refusals (open
 * circuit, full bulkhead).
 */
public final class XnatRetryPolicy {

    private XnatRetryPolicy() {
    }

    /**
     * Referenced by name from {@code resilience4j.retry.instances.xnat.result-predicate}. One 5xx is
     * not replayed: the subscription listing's "There was an error in the request : null", which is
     * how XNAT answers while its event service is disabled (xnat-rest-behaviour §8.2). Asking again
     * cannot change it; {@link XnatEventSubscriptions} diagnoses it at once.
     */
    public static final class RetryableResult implements Predicate<Object> {
        @Override
        public boolean test(Object result) {
            return result instanceof XnatResponse response && response.status() >= 500
                    && !XnatEventSubscriptions.isDisabledServiceListing(response);
        }
    }

    /**
     * Referenced by name from {@code resilience4j.circuitbreaker.instances.xnat.record-result-predicate}:
     * an XNAT 5xx answer counts as a failure of XNAT, a 4xx is a business answer.
     */
    public static final class ServerError implements Predicate<Object> {
        @Override
        public boolean test(Object result) {
            return result instanceof XnatResponse response && response.status() >= 500;
        }
    }

    /** Referenced by name from {@code resilience4j.retry.instances.xnat.retry-exception-predicate}. */
    public static final class RetryableFailure implements Predicate<Throwable> {
        @Override
        public boolean test(Throwable failure) {
            return failure instanceof XnatFailure xnat && xnat.worthReplaying();
        }
    }
}
