package org.flip.imagingapi.project;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.flip.imagingapi.model.Project;
import org.flip.imagingapi.web.ProjectId;
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

    @GetMapping
    @Operation(operationId = "listProjects", summary = "List every XNAT project the service account can read")
    List<Project> list() {
        return service.list();
    }

    @GetMapping("/{projectId}")
    @Operation(operationId = "getProject", summary = "One XNAT project by its XNAT ID")
    @ApiResponse(responseCode = "200", description = "The project")
    @ApiResponse(responseCode = "404", description = "No project with this ID (or the service account cannot see it)")
    Project get(@PathVariable @ProjectId String projectId) {
        return service.get(projectId);
    }

    @GetMapping("/central-hub/{centralHubProjectId}")
    @Operation(operationId = "getProjectByCentralHubId",
            summary = "The XNAT project of a Central Hub project (matched on secondary_ID)")
    @ApiResponse(responseCode = "200", description = "The project")
    @ApiResponse(responseCode = "404", description = "No XNAT project carries this hub project id")
    Project getByCentralHubId(@PathVariable UUID centralHubProjectId) {
        return service.getByCentralHubId(centralHubProjectId.toString());
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createProject", summary = "Create an XNAT project (409 when the ID or hub id is taken)")
    @ApiResponse(responseCode = "201", description = "Created; Location names the new project")
    @ApiResponse(responseCode = "409", description = "A project with this ID or this secondary_id already exists")
    ResponseEntity<Project> create(@Valid @RequestBody CreateProjectRequest request) {
        Project created = service.create(request);
        URI location = UriComponentsBuilder.fromPath("/projects/{id}").buildAndExpand(created.id()).encode().toUri();
        return ResponseEntity.created(location).body(created);
    }

    @PutMapping(path = "/{projectId}/prearchive-code", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "setPrearchiveCode",
            summary = "Set the project's prearchive code (0 manual, 4 auto-archive, 5 auto-archive and overwrite)")
    @ApiResponse(responseCode = "200", description = "The code now set")
    @ApiResponse(responseCode = "404", description = "No project with this ID")
    PrearchiveCode setPrearchiveCode(@PathVariable @ProjectId String projectId,
            @Valid @RequestBody PrearchiveCode code) {
        return service.setPrearchiveCode(projectId, code);
    }

    @DeleteMapping("/{projectId}")
    @Operation(operationId = "deleteProject", summary = "Delete a project with its files, after cancelling its "
            + "queued DQR imports; answers the project as it was")
    @ApiResponse(responseCode = "200", description = "Deleted; the project as it was")
    @ApiResponse(responseCode = "404", description = "No project with this ID")
    @ApiResponse(responseCode = "409", description = "XNAT accepted the deletion but kept the project (code "
            + "project_not_deleted): subjects of it hold other projects' experiments")
    Project delete(@PathVariable @ProjectId String projectId) {
        return service.delete(projectId);
    }
}
