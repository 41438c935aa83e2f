package org.flip.imagingapi.subscription;

import org.flip.imagingapi.model.Subscription;

/** The project's subscription, and whether this call created it (201) or found it (200). */
public record EnsuredSubscription(Subscription subscription, boolean created) {
}
