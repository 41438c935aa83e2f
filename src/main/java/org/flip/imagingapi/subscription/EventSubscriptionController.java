package org.flip.imagingapi.subscription;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.flip.imagingapi.model.Subscription;
import org.flip.imagingapi.web.PositiveId;
import org.flip.imagingapi.web.ProjectId;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/projects/{projectId}/event-subscriptions", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "event subscriptions")
class EventSubscriptionController {

    private final EventSubscriptions subscriptions;

    EventSubscriptionController(EventSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** Body of the create call; both fields optional. */
    record SubscriptionRequest(
            @Schema(description = "Container image whose registered command the subscription runs; defaults to "
                    + "DCM2NIIX_IMAGE", example = "ghcr.io/londonaicentre/xnat-dcm2niix:v1.0.20260724")
            @Pattern(regexp = ContainerImages.PATTERN, message = ContainerImages.MESSAGE) String container,
            @Schema(description = "Whether the subscription runs; defaults to true", defaultValue = "true")
            Boolean active) {
    }

    @GetMapping
    @Operation(operationId = "listSubscriptions", summary = "List the project's XNAT event subscriptions")
    List<Subscription> list(@PathVariable @ProjectId String projectId) {
        return subscriptions.list(projectId);
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "ensureSubscription",
            summary = "Make sure the project has the subscription that runs the container on new DICOM scans")
    @ApiResponse(responseCode = "201", description = "Created")
    @ApiResponse(responseCode = "200", description = "The project already had it (its active flag now as asked)")
    @ApiResponse(responseCode = "404", description = "No such project, or no command registered at the image")
    @ApiResponse(responseCode = "502", description = "XNAT failed; an XNAT 405 \"Event Service disabled.\" means "
            + "the event service must be enabled (PUT /xapi/events/prefs {\"enabled\": true})")
    ResponseEntity<Subscription> ensure(@PathVariable @ProjectId String projectId,
            @RequestBody(required = false) @Valid SubscriptionRequest request) {
        String container = request == null ? null : request.container();
        boolean active = request == null || request.active() == null || request.active();
        EnsuredSubscription ensured = subscriptions.ensure(projectId, container, active);
        return ResponseEntity.status(ensured.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(ensured.subscription());
    }

    @PostMapping("/{id}/activate")
    @Operation(operationId = "activateSubscription", summary = "Activate one of the project's subscriptions")
    @ApiResponse(responseCode = "200", description = "The subscription")
    @ApiResponse(responseCode = "404", description = "The project has no subscription with this id")
    @ApiResponse(responseCode = "409", description = "The subscription is site-wide (code site_wide_subscription)")
    Subscription activate(@PathVariable @ProjectId String projectId, @PathVariable @PositiveId String id) {
        return subscriptions.activate(projectId, Long.parseLong(id));
    }

    @PostMapping("/{id}/deactivate")
    @Operation(operationId = "deactivateSubscription", summary = "Deactivate one of the project's subscriptions")
    @ApiResponse(responseCode = "200", description = "The subscription")
    @ApiResponse(responseCode = "404", description = "The project has no subscription with this id")
    @ApiResponse(responseCode = "409", description = "The subscription is site-wide (code site_wide_subscription)")
    Subscription deactivate(@PathVariable @ProjectId String projectId, @PathVariable @PositiveId String id) {
        return subscriptions.deactivate(projectId, Long.parseLong(id));
    }

    @DeleteMapping("/{id}")
    @Operation(operationId = "deleteSubscription", summary = "Delete one of the project's subscriptions")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "The project has no subscription with this id")
    @ApiResponse(responseCode = "409", description = "The subscription is site-wide (code site_wide_subscription)")
    ResponseEntity<Void> delete(@PathVariable @ProjectId String projectId, @PathVariable @PositiveId String id) {
        subscriptions.delete(projectId, Long.parseLong(id));
        return ResponseEntity.noContent().build();
    }
}
