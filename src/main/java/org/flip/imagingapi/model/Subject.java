package org.flip.imagingapi.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** A subject of a project, one row of XNAT's subject listing (XNAT's own field names). */
@Schema(description = "An XNAT subject")
public record Subject(
        @JsonProperty("ID") @Schema(example = "XNAT_S00002") String id,
        @JsonProperty("label") @Schema(example = "SID1") String label,
        @JsonProperty("insert_date") @Schema(example = "2013-09-05 10:01:03.035") String insertDate,
        @JsonProperty("project") String project,
        @JsonProperty("insert_user") String insertUser,
        @JsonProperty("URI") @Schema(example = "/data/subjects/XNAT_S00002") String uri) {
}
