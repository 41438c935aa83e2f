package org.flip.imagingapi.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Map;
import org.flip.imagingapi.web.Identifiers;
import org.flip.imagingapi.xnat.XnatExperiments;
import org.springframework.http.MediaType;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@RequestMapping(path = "/projects/{projectId}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "subjects and experiments", description = "A project's subjects and imaging sessions")
class ExperimentController {

    private final XnatExperiments experiments;

    ExperimentController(XnatExperiments experiments) {
        this.experiments = experiments;
    }

    @GetMapping("/subjects")
    @Operation(summary = "The project's subjects")
    List<Subject> subjects(@PathVariable @Pattern(regexp = Identifiers.PROJECT_ID,
            message = Identifiers.PROJECT_ID_MESSAGE) String projectId) {
        return experiments.subjects(projectId);
    }

    @GetMapping("/experiments")
    @Operation(summary = "The experiments the project owns (XNAT's global listing, so every data type shows)")
    List<Experiment> experiments(@PathVariable @Pattern(regexp = Identifiers.PROJECT_ID,
            message = Identifiers.PROJECT_ID_MESSAGE) String projectId) {
        return experiments.experiments(projectId);
    }

    /** The singular path is the reference's; the hub's callers still use it. */
    @GetMapping({"/experiments/{idOrLabel}", "/experiment/{idOrLabel}"})
    @Operation(summary = "One experiment of the project by ID or label: XNAT's item JSON, unchanged")
    JsonNode experiment(
            @PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId,
            @PathVariable @Pattern(regexp = Identifiers.EXPERIMENT, message = Identifiers.EXPERIMENT_MESSAGE)
            String idOrLabel) {
        return experiments.experiment(projectId, idOrLabel);
    }

    @GetMapping("/experiments/{idOrLabel}/subject")
    @Operation(summary = "The subject ID of one experiment of the project")
    Map<String, String> subject(
            @PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId,
            @PathVariable @Pattern(regexp = Identifiers.EXPERIMENT, message = Identifiers.EXPERIMENT_MESSAGE)
            String idOrLabel) {
        return Map.of("subject_ID", experiments.subjectId(projectId, idOrLabel));
    }
}
