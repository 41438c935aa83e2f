package org.flip.imagingapi.project;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
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
            + "users and invitations (idempotent: a replay resumes and answers 200)",
            description = """
                    The whole set-up of a hub project, each step "make it so":

                    1. find the XNAT project whose secondary_ID is `project_id`; if there is none, create it with \
                    a **derived ID** (a name-based UUID v5 of `project_id`), so that every retry and every replica \
                    picks the same ID and XNAT's own 409 stops a twin;
                    2. set the prearchive code (`provisioning.prearchive-code`, default 4);
                    3. make sure the dcm2niix subscription exists (command looked up at exactly `DCM2NIIX_IMAGE`), \
                    active when `dicom_to_nifti` is true;
                    4. for every enabled hub user: find the XNAT account by e-mail or create one, add it to the \
                    project's Members, and return an AES-GCM encrypted set-password path for new accounts and \
                    for accounts that never logged in.

                    **Idempotent**: a replay of the same request (after a timeout, a 5xx or a 504 \
                    `provisioning_deadline`) resumes where the earlier one stopped and answers 200; it never \
                    makes a second project, subscription or account. `query` is accepted and ignored (no PACS \
                    retrieval). Disabled users (`is_disabled`) are skipped.""")
    @ApiResponse(responseCode = "201", description = "The XNAT project was created by this request",
            headers = @Header(name = "Location", description = "/projects/{ID}"))
    @ApiResponse(responseCode = "200", description = "An earlier attempt had created the project; this one completed it")
    @ApiResponse(responseCode = "404", description = "No XNAT command is registered at DCM2NIIX_IMAGE; the detail "
            + "says what is registered (see the README's troubleshooting)")
    @ApiResponse(responseCode = "504", description = "XNAT did not answer in time, or the flow passed its step "
            + "deadline (provisioning.deadline, code provisioning_deadline); send the same request again to resume")
    ResponseEntity<CreatedProject> provision(@Valid @RequestBody @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, examples = @ExampleObject(
                    name = "hub project with two users", value = """
                            {
                              "project_id": "7e9c1d2a-3b4c-4d5e-8f6a-9b0c1d2e3f4a",
                              "trust_id": "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
                              "project_name": "Stroke outcomes",
                              "query": "SELECT * FROM studies WHERE modality = 'CT'",
                              "users": [
                                {"id": "3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a", "email": "jane.doe@trust.example",
                                 "is_disabled": false},
                                {"id": "4e3d2c1b-0a9f-4e8d-9c7b-6a5f4e3d2c1b", "email": "sam.roe@trust.example",
                                 "is_disabled": true}
                              ],
                              "dicom_to_nifti": true
                            }
                            """))) CentralHubProject hubProject) {
        ProjectProvisioning.Outcome outcome = provisioning.provision(hubProject);
        if (outcome.created()) {
            return ResponseEntity.created(URI.create("/projects/" + outcome.project().id())).body(outcome.project());
        }
        return ResponseEntity.ok(outcome.project());
    }
}
