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
 * On shutdown, readiness goes down first: this lifecycle stops before the web server's graceful
 * shutdown, turns readiness to REFUSING_TRAFFIC (so a load balancer or Kubernetes stops sending
 * requests) and waits {@code imaging-api.shutdown.readiness-drain} before the server drains.
 */
@Component
class ReadinessFirstShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReadinessFirstShutdown.class);

    private final ApplicationEventPublisher publisher;
    private final Duration drain;
    private volatile boolean running;

    ReadinessFirstShutdown(ApplicationEventPublisher publisher,
            @Value("${imaging-api.shutdown.readiness-drain:0s}") Duration drain) {
        this.publisher = publisher;
        this.drain = drain;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        AvailabilityChangeEvent.publish(publisher, this, ReadinessState.REFUSING_TRAFFIC);
        log.info("Shutting down: readiness is now REFUSING_TRAFFIC; draining for {} ms", drain.toMillis());
        if (!drain.isZero()) {
            try {
                Thread.sleep(drain.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped first: the web server's graceful shutdown runs in a lower phase. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
