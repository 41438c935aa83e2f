package org.flip.imagingapi.emulator;

import java.util.List;
import java.util.Map;

/**
 * An event-service subscription.
 *
 * @param actionKey     e.g. {@code org.nrg.containers.services.CommandActionProvider:<wrapperId>}
 * @param eventType     fully-qualified event class, e.g. {@code org.nrg.xnat.eventservice.events.ScanEvent}
 * @param projectIds    empty for a site-wide subscription
 * @param payloadFilter JsonPath predicate (may be null)
 * @param owner         subscription-owner username
 * @param created       epoch ms
 */
public record Subscription(long id, String name, boolean active, String actionKey, Map<String, String> attributes,
                           String eventType, List<String> projectIds, String status, String payloadFilter,
                           String owner, long created) {
    public Subscription {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        projectIds = projectIds == null ? List.of() : List.copyOf(projectIds);
    }

    public Subscription withActive(boolean value) {
        return new Subscription(id, name, value, actionKey, attributes, eventType, projectIds, status, payloadFilter,
                owner, created);
    }

    Subscription withId(long value) {
        return new Subscription(value, name, active, actionKey, attributes, eventType, projectIds, status,
                payloadFilter, owner, created);
    }

    /** Site-wide: no project ids (listed under every project; project routes may not act on it). */
    public boolean isSiteWide() {
        return projectIds.isEmpty();
    }

    /** Wrapper id parsed from the action key suffix, or -1. */
    public long wrapperId() {
        if (actionKey == null) {
            return -1;
        }
        int i = actionKey.lastIndexOf(':');
        try {
            return Long.parseLong(actionKey.substring(i + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
