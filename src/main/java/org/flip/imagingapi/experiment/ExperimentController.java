package org.flip.imagingapi.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.flip.imagingapi.model.Experiment;
import org.flip.imagingapi.model.Subject;
import org.flip.imagingapi.web.ExperimentIdOrLabel;
import org.flip.imagingapi.web.ProjectId;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/projects/{projectId}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "subjects and experiments")
class ExperimentController {

    private final ExperimentService experiments;

    ExperimentController(ExperimentService experiments) {
        this.experiments = experiments;
    }

    @GetMapping("/subjects")
    @Operation(operationId = "listSubjects", summary = "The project's subjects")
    @ApiResponse(responseCode = "200", description = "The subjects (an empty list for a project without any)")
    @ApiResponse(responseCode = "404", description = "No project with this ID")
    List<Subject> subjects(@PathVariable @ProjectId String projectId) {
        return experiments.subjects(projectId);
    }

    @GetMapping("/experiments")
    @Operation(operationId = "listExperiments",
            summary = "The experiments the project owns (XNAT's global listing, so every data type shows)")
    @ApiResponse(responseCode = "200", description = "The experiments (an empty list for a project without any)")
    @ApiResponse(responseCode = "404", description = "No project with this ID")
    List<Experiment> experiments(@PathVariable @ProjectId String projectId) {
        return experiments.experiments(projectId);
    }

    /** The singular path is the reference's; the hub's callers still use it. */
    @GetMapping({"/experiments/{idOrLabel}", "/experiment/{idOrLabel}"})
    @Operation(operationId = "getExperiment",
            summary = "One experiment of the project by ID or label: XNAT's item JSON, unchanged")
    @ApiResponse(responseCode = "200", description = "XNAT's item JSON of the experiment, unchanged")
    @ApiResponse(responseCode = "404", description = "No such project or experiment, or the experiment is neither "
            + "owned by nor shared into the project")
    JsonNode experiment(@PathVariable @ProjectId String projectId,
            @PathVariable @ExperimentIdOrLabel String idOrLabel) {
        return experiments.experiment(projectId, idOrLabel);
    }

    @GetMapping("/experiments/{idOrLabel}/subject")
    @Operation(operationId = "getExperimentSubject", summary = "The subject ID of one experiment of the project")
    @ApiResponse(responseCode = "200", description = "The experiment's subject")
    @ApiResponse(responseCode = "404", description = "No such project or experiment, or the experiment is neither "
            + "owned by nor shared into the project")
    Map<String, String> subject(@PathVariable @ProjectId String projectId,
            @PathVariable @ExperimentIdOrLabel String idOrLabel) {
        return Map.of("subject_ID", experiments.subjectId(projectId, idOrLabel));
    }
}
