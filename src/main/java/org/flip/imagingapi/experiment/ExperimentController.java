package org.flip.imagingapi.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Map;
import org.flip.imagingapi.model.Experiment;
import org.flip.imagingapi.model.Subject;
import org.flip.imagingapi.web.Identifiers;
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
    List<Subject> subjects(@PathVariable @Pattern(regexp = Identifiers.PROJECT_ID,
            message = Identifiers.PROJECT_ID_MESSAGE) String projectId) {
        return experiments.subjects(projectId);
    }

    @GetMapping("/experiments")
    @Operation(operationId = "listExperiments",
            summary = "The experiments the project owns (XNAT's global listing, so every data type shows)",
            description = "Reads XNAT's global /data/experiments?project=… listing on purpose: the project-scoped "
                    + "listing silently drops sessions whose data type is not registered in the project (e.g. "
                    + "xnat:dxSessionData chest X-rays), which made imports look stuck.")
    @ApiResponse(responseCode = "200", description = "The experiments (an empty list for a project without any)")
    @ApiResponse(responseCode = "404", description = "No project with this ID")
    List<Experiment> experiments(@PathVariable @Pattern(regexp = Identifiers.PROJECT_ID,
            message = Identifiers.PROJECT_ID_MESSAGE) String projectId) {
        return experiments.experiments(projectId);
    }

    /** The singular path is the reference's; the hub's callers still use it. */
    @GetMapping({"/experiments/{idOrLabel}", "/experiment/{idOrLabel}"})
    @Operation(operationId = "getExperiment",
            summary = "One experiment of the project by ID or label: XNAT's item JSON, unchanged",
            description = "XNAT resolves an experiment ID anywhere in the archive; this call answers 404 unless the "
                    + "experiment is owned by or shared into the project in the path.")
    @ApiResponse(responseCode = "200", description = "XNAT's item JSON of the experiment, unchanged",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(type = "object", description = "XNAT's item JSON: {items: [{data_fields, "
                            + "meta, children}]}"),
                    examples = @ExampleObject(name = "CT session", value = """
                            {"items": [{"meta": {"xsi:type": "xnat:ctSessionData"},
                                        "data_fields": {"ID": "XNAT_E00001", "label": "CT_001",
                                                        "project": "STROKE_01", "subject_ID": "XNAT_S00001"},
                                        "children": []}]}
                            """)))
    @ApiResponse(responseCode = "404", description = "No such project or experiment, or the experiment is neither "
            + "owned by nor shared into the project")
    JsonNode experiment(
            @PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId,
            @PathVariable @Pattern(regexp = Identifiers.EXPERIMENT, message = Identifiers.EXPERIMENT_MESSAGE)
            String idOrLabel) {
        return experiments.experiment(projectId, idOrLabel);
    }

    @GetMapping("/experiments/{idOrLabel}/subject")
    @Operation(operationId = "getExperimentSubject", summary = "The subject ID of one experiment of the project",
            description = "Read from XNAT's items[0].data_fields.subject_ID; a 502 when XNAT's JSON lacks it.")
    @ApiResponse(responseCode = "200", description = "The experiment's subject",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(type = "object", requiredProperties = "subject_ID"),
                    examples = @ExampleObject(name = "subject", value = "{\"subject_ID\": \"XNAT_S00001\"}")))
    @ApiResponse(responseCode = "404", description = "No such project or experiment, or the experiment is neither "
            + "owned by nor shared into the project")
    Map<String, String> subject(
            @PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId,
            @PathVariable @Pattern(regexp = Identifiers.EXPERIMENT, message = Identifiers.EXPERIMENT_MESSAGE)
            String idOrLabel) {
        return Map.of("subject_ID", experiments.subjectId(projectId, idOrLabel));
    }
}
