package org.flip.imagingapi.config;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The shared per-trust key that callers present ({@code TRUST_INTERNAL_SERVICE_KEY}, in the header
 * {@code TRUST_INTERNAL_SERVICE_KEY_HEADER}). An empty key means every protected route answers 401.
 */
@Validated
@ConfigurationProperties("trust.internal-service")
public record InboundAuthProperties(
        @DefaultValue("") String key,
        @NotBlank(message = "TRUST_INTERNAL_SERVICE_KEY_HEADER must not be blank")
        @DefaultValue("X-Trust-Internal-Service-Key") String keyHeader) {

    public boolean configured() {
        return key != null && !key.isEmpty();
    }

    @Override
    public String toString() {
        return "InboundAuthProperties[key=<redacted>, keyHeader=" + keyHeader + "]";
    }
}
