package org.flip.imagingapi.project;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "projects")
class ProvisioningController {

    private final ProjectProvisioning provisioning;

    ProvisioningController(ProjectProvisioning provisioning) {
        this.provisioning = provisioning;
    }

    @PostMapping(path = "/projects/create-project-from-central-hub-project",
            consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "provisionCentralHubProject",
            summary = "Provision a Central Hub project: XNAT project, prearchive code, dcm2niix subscription, "
            + "users and invitations (idempotent: a replay resumes and answers 200)")
    @ApiResponse(responseCode = "201", description = "The XNAT project was created by this request")
    @ApiResponse(responseCode = "200", description = "An earlier attempt created the project; this one completed it")
    @ApiResponse(responseCode = "404", description = "No XNAT command is registered at DCM2NIIX_IMAGE; the detail "
            + "says what is registered")
    @ApiResponse(responseCode = "504", description = "XNAT did not answer in time, or the flow passed its deadline "
            + "(provisioning.deadline, code provisioning_deadline); send the same request again to resume")
    ResponseEntity<CreatedProject> provision(@Valid @RequestBody CentralHubProject hubProject) {
        ProjectProvisioning.Outcome outcome = provisioning.provision(hubProject);
        if (outcome.created()) {
            return ResponseEntity.created(URI.create("/projects/" + outcome.project().id())).body(outcome.project());
        }
        return ResponseEntity.ok(outcome.project());
    }
}
