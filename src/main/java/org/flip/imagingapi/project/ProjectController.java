package org.flip.imagingapi.project;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.flip.imagingapi.web.Identifiers;
import org.flip.imagingapi.xnat.XnatProjects;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
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
@Validated
@RequestMapping(path = "/projects", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "projects", description = "XNAT projects and their lifecycle")
class ProjectController {

    private final XnatProjects projects;
    private final ProjectService service;

    ProjectController(XnatProjects projects, ProjectService service) {
        this.projects = projects;
        this.service = service;
    }

    @GetMapping({"", "/"})
    @Operation(summary = "List every XNAT project the service account can read")
    List<Project> list() {
        return projects.list();
    }

    @GetMapping("/{projectId}")
    @Operation(summary = "One XNAT project by its XNAT ID")
    Project get(@PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId) {
        return service.get(projectId);
    }

    @GetMapping("/central-hub/{centralHubProjectId}")
    @Operation(summary = "The XNAT project of a Central Hub project (matched on secondary_ID)")
    Project getByCentralHubId(@PathVariable UUID centralHubProjectId) {
        return service.getByCentralHubId(centralHubProjectId.toString());
    }

    @PostMapping(path = {"", "/"}, consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create an XNAT project (409 when the ID is taken)")
    ResponseEntity<Project> create(@Valid @RequestBody CreateProjectRequest request) {
        Project created = service.create(request);
        URI location = UriComponentsBuilder.fromPath("/projects/{id}").buildAndExpand(created.id()).encode().toUri();
        return ResponseEntity.created(location).body(created);
    }

    @PutMapping(path = "/{projectId}/prearchive-code", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Set the project's prearchive code (0 manual, 4 auto-archive, 5 auto-archive and overwrite)")
    PrearchiveCode setPrearchiveCode(
            @PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId, @Valid @RequestBody PrearchiveCode code) {
        return service.setPrearchiveCode(projectId, code);
    }

    @DeleteMapping("/{projectId}")
    @Operation(summary = "Delete a project with its files, after cancelling its queued DQR imports; "
            + "answers the project as it was")
    Project delete(@PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId) {
        return service.delete(projectId);
    }
}
