package org.flip.imagingapi.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An XNAT event subscription of one project, flattened: XNAT nests the event type, status and
 * payload filter in {@code event-filter}.
 */
public record Subscription(
        @JsonProperty("id") Long id,
        @JsonProperty("name") String name,
        @JsonProperty("active") boolean active,
        @JsonProperty("project_id") @Schema(nullable = true, description = "Null for a site-wide subscription")
        String projectId,
        @JsonProperty("action_key") String actionKey,
        @JsonProperty("event_type") String eventType,
        @JsonProperty("status") String status,
        @JsonProperty("payload_filter") @Schema(nullable = true) String payloadFilter) {

    public Subscription withId(Long newId) {
        return new Subscription(newId, name, active, projectId, actionKey, eventType, status, payloadFilter);
    }

    public Subscription withActive(boolean newActive) {
        return new Subscription(id, name, newActive, projectId, actionKey, eventType, status, payloadFilter);
    }
}
