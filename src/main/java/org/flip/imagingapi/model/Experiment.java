package org.flip.imagingapi.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An experiment (imaging session) owned by a project, one row of XNAT's global experiment listing.
 * The label is the accession number (DQR relabels sessions), which is how the hub matches imports.
 */
@Schema(description = "An XNAT experiment")
public record Experiment(
        @JsonProperty("ID") @Schema(example = "XNAT_E00012") String id,
        @JsonProperty("label") @Schema(example = "FAK77115197") String label,
        @JsonProperty("date") @Schema(example = "2024-01-01") String date,
        @JsonProperty("project") String project,
        @JsonProperty("insert_date") String insertDate,
        @JsonProperty("xsiType") @Schema(example = "xnat:ctSessionData") String xsiType,
        @JsonProperty("URI") @Schema(example = "/data/experiments/XNAT_E00012") String uri,
        @JsonProperty("xnat:subjectassessordata/id") @Schema(nullable = true) String subjectAssessorDataId) {
}
