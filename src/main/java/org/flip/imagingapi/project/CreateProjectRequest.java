package org.flip.imagingapi.project;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.flip.imagingapi.web.Identifiers;
import org.flip.imagingapi.web.PlainText;

/**
 * The low-level create of contract §3 (the reference took query parameters; this is a JSON body).
 * {@code <}, {@code >} and {@code &} are fine in the texts: the projectData writer escapes them.
 * Characters that XML 1.0 cannot carry at all are refused ({@link PlainText}), since XNAT would
 * choke on them; only the description may hold tabs and line breaks.
 */
@Schema(description = "A new XNAT project")
public record CreateProjectRequest(
        @JsonProperty("id") @NotNull
        @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
        @Schema(example = "STROKE_01") String id,
        @JsonProperty("secondary_id") @NotBlank @Size(max = 255) @PlainText
        @Schema(description = "XNAT's secondary_ID (the hub project id for hub projects)") String secondaryId,
        @JsonProperty("name") @NotBlank @Size(max = 255) @PlainText String name,
        @JsonProperty("description") @Size(max = 10_000) @PlainText(lineBreaks = true)
        @Schema(nullable = true) String description) {
}
