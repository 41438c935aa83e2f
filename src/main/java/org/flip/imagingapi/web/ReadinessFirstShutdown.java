package org.flip.imagingapi.web;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On shutdown, readiness goes down first, and the service drains while it still serves: this
 * lifecycle stops before the web servers' own graceful shutdown (which stops accepting connections,
 * so /health and the probes would no longer answer), turns readiness to REFUSING_TRAFFIC, keeps
 * serving for {@code imaging-api.shutdown.readiness-drain} (for load balancers that poll readiness)
 * and then until no request is in flight on the API port, at most
 * {@code imaging-api.shutdown.drain-timeout}. That timeout is longer than the provisioning deadline,
 * so a provisioning call that started just before SIGTERM still answers.
 */
@Component
class ReadinessFirstShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReadinessFirstShutdown.class);

    private final ApplicationEventPublisher publisher;
    private final InFlightRequests inFlight;
    private final Duration readinessDrain;
    private final Duration drainTimeout;
    private volatile boolean running;

    ReadinessFirstShutdown(ApplicationEventPublisher publisher, InFlightRequests inFlight,
            @Value("${imaging-api.shutdown.readiness-drain:0s}") Duration readinessDrain,
            @Value("${imaging-api.shutdown.drain-timeout:30s}") Duration drainTimeout) {
        this.publisher = publisher;
        this.inFlight = inFlight;
        this.readinessDrain = readinessDrain;
        this.drainTimeout = drainTimeout;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        AvailabilityChangeEvent.publish(publisher, this, ReadinessState.REFUSING_TRAFFIC);
        log.info("Shutting down: readiness is now REFUSING_TRAFFIC; serving {} ms more, then until the "
                + "requests in flight ({} now) finish, at most {} ms", readinessDrain.toMillis(), inFlight.count(),
                drainTimeout.toMillis());
        try {
            if (!readinessDrain.isZero() && !readinessDrain.isNegative()) {
                Thread.sleep(readinessDrain.toMillis());
            }
            if (inFlight.awaitIdle(drainTimeout)) {
                log.info("No request in flight; stopping the servers");
            } else {
                log.warn("{} request(s) still in flight after {} ms; the server's graceful shutdown takes over",
                        inFlight.count(), drainTimeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped first: the web servers' graceful shutdown and the management server run in lower phases. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
