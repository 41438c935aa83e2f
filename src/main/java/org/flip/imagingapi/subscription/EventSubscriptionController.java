package org.flip.imagingapi.subscription;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.flip.imagingapi.web.Identifiers;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@RequestMapping(path = "/projects/{projectId}/event-subscriptions", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "event subscriptions", description = "The dcm2niix command and the per-project subscriptions that run it")
class EventSubscriptionController {

    private final EventSubscriptions subscriptions;

    EventSubscriptionController(EventSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** Body of the create call; both fields optional. */
    record SubscriptionRequest(
            @Parameter(description = "Container image; defaults to DCM2NIIX_IMAGE")
            @Pattern(regexp = ContainerImages.PATTERN, message = ContainerImages.MESSAGE) String container,
            Boolean active) {
    }

    @GetMapping({"", "/"})
    @Operation(summary = "List the project's XNAT event subscriptions")
    List<Subscription> list(@PathVariable @Pattern(regexp = Identifiers.PROJECT_ID,
            message = Identifiers.PROJECT_ID_MESSAGE) String projectId) {
        return subscriptions.list(projectId);
    }

    @PostMapping(path = {"", "/"}, consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Make sure the project has the subscription that runs the container on new DICOM scans",
            description = "Idempotent per project and container: 201 when created, 200 with the existing one. "
                    + "The wrapper is enabled for the project first; 'active' (default true) is applied to an "
                    + "existing subscription too.")
    ResponseEntity<Subscription> ensure(
            @PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId,
            @RequestBody(required = false) @Valid SubscriptionRequest request) {
        String container = request == null ? null : request.container();
        boolean active = request == null || request.active() == null || request.active();
        EnsuredSubscription ensured = subscriptions.ensure(projectId, container, active);
        return ResponseEntity.status(ensured.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(ensured.subscription());
    }

    @PostMapping("/{id}/activate")
    @Operation(summary = "Activate one of the project's subscriptions")
    Subscription activate(
            @PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId,
            @PathVariable @Pattern(regexp = Identifiers.POSITIVE_INTEGER,
                    message = Identifiers.POSITIVE_INTEGER_MESSAGE) String id) {
        return subscriptions.activate(projectId, Long.parseLong(id));
    }

    @PostMapping("/{id}/deactivate")
    @Operation(summary = "Deactivate one of the project's subscriptions")
    Subscription deactivate(
            @PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId,
            @PathVariable @Pattern(regexp = Identifiers.POSITIVE_INTEGER,
                    message = Identifiers.POSITIVE_INTEGER_MESSAGE) String id) {
        return subscriptions.deactivate(projectId, Long.parseLong(id));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete one of the project's subscriptions")
    ResponseEntity<Void> delete(
            @PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId,
            @PathVariable @Pattern(regexp = Identifiers.POSITIVE_INTEGER,
                    message = Identifiers.POSITIVE_INTEGER_MESSAGE) String id) {
        subscriptions.delete(projectId, Long.parseLong(id));
        return ResponseEntity.noContent().build();
    }
}
