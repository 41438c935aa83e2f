package org.flip.imagingapi.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** An XNAT project as the reference served it (XNAT's own field names). */
@Schema(description = "An XNAT project")
public record Project(
        @JsonProperty("ID") @Schema(example = "3f2a5d8e-1b2c-5d3e-8f4a-9b0c1d2e3f4a") String id,
        @JsonProperty("secondary_ID") @Schema(description = "The Central Hub project id",
                example = "2fd4e1c6-7a2d-4b1e-9c3f-5a6b7c8d9e0f") String secondaryId,
        @JsonProperty("name") @Schema(example = "Stroke:2fd4e1c6-7a2d-4b1e-9c3f-5a6b7c8d9e0f-FL-Project") String name,
        @JsonProperty("description") @Schema(nullable = true) String description,
        @JsonProperty("pi_firstname") String piFirstname,
        @JsonProperty("pi_lastname") String piLastname,
        @JsonProperty("URI") @Schema(example = "/data/projects/3f2a5d8e-1b2c-5d3e-8f4a-9b0c1d2e3f4a") String uri) {
}
