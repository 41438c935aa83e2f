package org.flip.imagingapi.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Turns a refused {@code TRUST_INTERNAL_SERVICE_KEY} (or {@code _PREVIOUS}) into one clear start-up
 * line. Ordered first so that Boot's bind-failure analyzer, which would print the value, never reports it.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class WeakServiceKeyFailureAnalyzer
        extends AbstractFailureAnalyzer<InboundAuthProperties.WeakServiceKeyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InboundAuthProperties.WeakServiceKeyException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set it to a random value of at least " + InboundAuthProperties.MIN_LENGTH + " characters shared "
                        + "with the trust's task runner, for example the output of 'openssl rand -base64 48', "
                        + "or leave it empty to refuse every protected call.", null);
    }
}
