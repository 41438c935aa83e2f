package org.flip.imagingapi.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.UUID;
import org.flip.imagingapi.user.ProjectUsersRequest;
import org.flip.imagingapi.web.ProjectId;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "projects")
class AuditController {

    private static final String DICOM_TO_NIFTI = "Whether the dcm2niix subscription should be active (the "
            + "dicom_to_nifti the hub provisioned the project with)";
    private static final String INCLUDE_LOGINS = "Also check never_logged_in (pending invitations), with one more "
            + "XNAT call: the full user listing. Without it the check is named in not_checked";

    private final ProvisioningAudit audit;

    AuditController(ProvisioningAudit audit) {
        this.audit = audit;
    }

    @GetMapping(path = "/projects/{projectId}/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "auditProject", summary = "Audit a provisioned project: what XNAT holds against what "
            + "provisioning would make of it (read-only)")
    @ApiResponse(responseCode = "200", description = "The report; its status is the worst of its checks")
    @ApiResponse(responseCode = "404", description = "No project with this ID")
    AuditReport audit(@PathVariable @ProjectId String projectId,
            @Parameter(description = DICOM_TO_NIFTI) @RequestParam(name = "dicom_to_nifti", defaultValue = "true")
            boolean dicomToNifti,
            @Parameter(description = INCLUDE_LOGINS) @RequestParam(name = "include_logins", defaultValue = "false")
            boolean includeLogins) {
        return audit.byProjectId(projectId, dicomToNifti, includeLogins, null);
    }

    @GetMapping(path = "/projects/central-hub/{centralHubProjectId}/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "auditProjectByCentralHubId", summary = "Audit the XNAT project of a Central Hub "
            + "project (the one provisioning resumes)")
    @ApiResponse(responseCode = "200", description = "The report; its status is the worst of its checks")
    @ApiResponse(responseCode = "404", description = "No XNAT project carries this hub project id")
    AuditReport auditByCentralHubId(@PathVariable UUID centralHubProjectId,
            @Parameter(description = DICOM_TO_NIFTI) @RequestParam(name = "dicom_to_nifti", defaultValue = "true")
            boolean dicomToNifti,
            @Parameter(description = INCLUDE_LOGINS) @RequestParam(name = "include_logins", defaultValue = "false")
            boolean includeLogins) {
        return audit.byHubProjectId(centralHubProjectId.toString(), dicomToNifti, includeLogins);
    }

    @PostMapping(path = "/projects/{projectId}/audit", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "auditProjectWithUsers", summary = "Audit a provisioned project, membership against "
            + "the hub project's users included (read-only; one XNAT user listing)")
    @ApiResponse(responseCode = "200", description = "The report; its status is the worst of its checks")
    @ApiResponse(responseCode = "404", description = "No project with this ID")
    AuditReport auditWithUsers(@PathVariable @ProjectId String projectId,
            @Parameter(description = DICOM_TO_NIFTI) @RequestParam(name = "dicom_to_nifti", defaultValue = "true")
            boolean dicomToNifti,
            @Valid @RequestBody ProjectUsersRequest request) {
        return audit.byProjectId(projectId, dicomToNifti, true, request.users());
    }
}
