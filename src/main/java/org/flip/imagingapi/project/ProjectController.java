package org.flip.imagingapi.project;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.flip.imagingapi.model.Project;
import org.flip.imagingapi.web.Identifiers;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

@RestController
@RequestMapping(path = "/projects", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "projects")
class ProjectController {

    private final ProjectService service;

    ProjectController(ProjectService service) {
        this.service = service;
    }

    @GetMapping({"", "/"})
    @Operation(operationId = "listProjects", summary = "List every XNAT project the service account can read")
    List<Project> list() {
        return service.list();
    }

    @GetMapping("/{projectId}")
    @Operation(operationId = "getProject", summary = "One XNAT project by its XNAT ID")
    @ApiResponse(responseCode = "200", description = "The project")
    @ApiResponse(responseCode = "404", description = "No project with this ID (or the service account cannot see it)")
    Project get(@PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId) {
        return service.get(projectId);
    }

    @GetMapping("/central-hub/{centralHubProjectId}")
    @Operation(operationId = "getProjectByCentralHubId",
            summary = "The XNAT project of a Central Hub project (matched on secondary_ID)",
            description = "Finds the project whose secondary_ID is the hub project id, as the provisioning flow "
                    + "stores it. A malformed UUID is a 422.")
    @ApiResponse(responseCode = "200", description = "The project")
    @ApiResponse(responseCode = "404", description = "No XNAT project carries this hub project id")
    Project getByCentralHubId(@PathVariable UUID centralHubProjectId) {
        return service.getByCentralHubId(centralHubProjectId.toString());
    }

    @PostMapping(path = {"", "/"}, consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createProject", summary = "Create an XNAT project (409 when the ID is taken)",
            description = "The low-level create: no prearchive code, subscription or users (the provisioning "
                    + "call does all of that). The ID is checked first, so an existing project is a 409 and never "
                    + "overwritten. Names and descriptions may hold <, > and & (they are escaped for XNAT).")
    @ApiResponse(responseCode = "201", description = "Created; Location names the new project",
            headers = @Header(name = "Location", description = "/projects/{ID}"))
    @ApiResponse(responseCode = "409", description = "A project with this ID already exists")
    ResponseEntity<Project> create(@Valid @RequestBody @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, examples = @ExampleObject(
                    name = "project", value = """
                            {"id": "STROKE_01", "secondary_id": "7e9c1d2a-3b4c-4d5e-8f6a-9b0c1d2e3f4a",
                             "name": "Stroke outcomes", "description": "CT and MR of the stroke cohort"}
                            """))) CreateProjectRequest request) {
        Project created = service.create(request);
        URI location = UriComponentsBuilder.fromPath("/projects/{id}").buildAndExpand(created.id()).encode().toUri();
        return ResponseEntity.created(location).body(created);
    }

    @PutMapping(path = "/{projectId}/prearchive-code", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "setPrearchiveCode",
            summary = "Set the project's prearchive code (0 manual, 4 auto-archive, 5 auto-archive and overwrite)",
            description = "Decides where new sessions of the project land: 0 keeps them in the prearchive for "
                    + "manual review, 4 archives them (no overwrite), 5 archives and overwrites. Other values are "
                    + "a 422 (XNAT itself would store any integer).")
    @ApiResponse(responseCode = "200", description = "The code now set")
    @ApiResponse(responseCode = "404", description = "No project with this ID")
    PrearchiveCode setPrearchiveCode(
            @PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId, @Valid @RequestBody @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, examples = @ExampleObject(
                            name = "auto-archive", value = "{\"code\": 4}"))) PrearchiveCode code) {
        return service.setPrearchiveCode(projectId, code);
    }

    @DeleteMapping("/{projectId}")
    @Operation(operationId = "deleteProject",
            summary = "Delete a project with its files, after cancelling its queued DQR imports; "
            + "answers the project as it was",
            description = "Irreversible. First cancels the project's queued DICOM Query-Retrieve import requests "
                    + "(through the DQR REST API) so that no import recreates data, then deletes the project with "
                    + "removeFiles=true. Answers the project as it was before the deletion.")
    @ApiResponse(responseCode = "200", description = "Deleted; the project as it was")
    @ApiResponse(responseCode = "404", description = "No project with this ID")
    Project delete(@PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId) {
        return service.delete(projectId);
    }
}
