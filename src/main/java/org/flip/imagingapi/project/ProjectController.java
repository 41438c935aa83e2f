package org.flip.imagingapi.project;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.flip.imagingapi.xnat.XnatProjects;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/projects", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "projects", description = "XNAT projects and their lifecycle")
class ProjectController {

    private final XnatProjects projects;

    ProjectController(XnatProjects projects) {
        this.projects = projects;
    }

    @GetMapping({"", "/"})
    @Operation(summary = "List every XNAT project the service account can read")
    List<Project> list() {
        return projects.list();
    }
}
