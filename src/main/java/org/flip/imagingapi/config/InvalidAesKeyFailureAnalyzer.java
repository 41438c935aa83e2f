package org.flip.imagingapi.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Turns a bad {@code AES_KEY_BASE64} into one clear start-up line. Ordered first so that Boot's
 * bind-failure analyzer, which would print the rejected value, never reports it.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class InvalidAesKeyFailureAnalyzer extends AbstractFailureAnalyzer<InvitationProperties.InvalidAesKeyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvitationProperties.InvalidAesKeyException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set AES_KEY_BASE64 to the key shared with the Central Hub, for example the output of "
                        + "'openssl rand -base64 32'.", null);
    }
}
