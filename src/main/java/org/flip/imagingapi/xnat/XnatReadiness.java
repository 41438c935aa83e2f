package org.flip.imagingapi.xnat;

import java.time.Clock;
import java.time.Instant;
import org.flip.imagingapi.config.XnatProperties;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Readiness contribution "xnat": can XNAT answer its open build-info URL? The result is cached
 * (xnat.readiness-cache-ttl) so probes never hammer XNAT. Liveness never includes it: restarting us
 * does not fix XNAT.
 */
@Component("xnat")
class XnatReadiness extends AbstractHealthIndicator {

    static final XnatOperation BUILD_INFO = XnatOperation.read("build information", "/xapi/siteConfig/buildInfo");

    private final XnatGateway gateway;
    private final XnatProperties properties;
    private final Clock clock = Clock.systemUTC();
    private volatile Health cached;
    private volatile Instant cachedAt = Instant.MIN;

    XnatReadiness(XnatGateway gateway, XnatProperties properties) {
        super("XNAT readiness check failed");
        this.gateway = gateway;
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Instant now = clock.instant();
        Health health = cached;
        if (health == null || now.isAfter(cachedAt.plus(properties.readinessCacheTtl()))) {
            health = probe();
            cached = health;
            cachedAt = now;
        }
        builder.status(health.getStatus()).withDetails(health.getDetails());
    }

    private Health probe() {
        try {
            XnatResponse response = gateway.callAnonymous(BUILD_INFO);
            if (response.is2xx() && !response.isHtml()) {
                return Health.up().withDetail("buildInfo", "HTTP " + response.status()).build();
            }
            return Health.down().withDetail("buildInfo", "HTTP " + response.status()).build();
        } catch (XnatFailure e) {
            return Health.down().withDetail("error", e.detail()).build();
        }
    }
}
