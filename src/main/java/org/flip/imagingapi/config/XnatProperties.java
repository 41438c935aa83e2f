package org.flip.imagingapi.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How to reach XNAT and with which service account ({@code XNAT_URL}, {@code XNAT_SERVICE_USER},
 * {@code XNAT_SERVICE_PASSWORD}), and the time budgets of XNAT calls.
 */
@Validated
@ConfigurationProperties("xnat")
public record XnatProperties(
        @NotNull(message = "XNAT_URL must be set") URI url,
        @NotBlank(message = "XNAT_SERVICE_USER must be set") String serviceUser,
        @NotBlank(message = "XNAT_SERVICE_PASSWORD must be set") String servicePassword,
        @Valid @DefaultValue Timeouts timeouts,
        @Valid @DefaultValue Login login,
        @DefaultValue("10s") Duration readinessCacheTtl,
        @DefaultValue("64") @jakarta.validation.constraints.Positive int maxConnections,
        @DefaultValue("64MB") org.springframework.util.unit.DataSize maxResponseSize) {

    /** Time budgets: {@code slow} is for calls that real XNAT answers slowly (create, delete). */
    public record Timeouts(
            @DefaultValue("2s") Duration connect,
            @DefaultValue("10s") Duration standard,
            @DefaultValue("25s") Duration slow,
            @DefaultValue("5s") Duration login) {}

    /**
     * Back-off after a failed login. XNAT locks an account after a handful of failed logins, so
     * a wrong password must cost a few attempts per hour, never one per request.
     */
    public record Login(
            @DefaultValue("5s") Duration initialBackoff,
            @DefaultValue("30m") Duration maxBackoff) {}

    @Override
    public String toString() {
        return "XnatProperties[url=" + url + ", serviceUser=" + serviceUser
                + ", servicePassword=<redacted>, timeouts=" + timeouts + ", login=" + login + "]";
    }
}
