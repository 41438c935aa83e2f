package org.flip.imagingapi.project;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.flip.imagingapi.web.Identifiers;

/**
 * The low-level create of contract §3 (the reference took query parameters; this is a JSON body).
 * {@code <}, {@code >} and {@code &} are fine in the texts: the projectData writer escapes them.
 * Characters that XML 1.0 cannot carry at all are refused, since XNAT would choke on them.
 */
@Schema(description = "A new XNAT project")
public record CreateProjectRequest(
        @JsonProperty("id") @NotNull
        @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
        @Schema(example = "STROKE_01") String id,
        @JsonProperty("secondary_id") @NotBlank @Size(max = 255)
        @Pattern(regexp = XML_TEXT, message = XML_TEXT_MESSAGE)
        @Schema(description = "XNAT's secondary_ID (the hub project id for hub projects)") String secondaryId,
        @JsonProperty("name") @NotBlank @Size(max = 255)
        @Pattern(regexp = XML_TEXT, message = XML_TEXT_MESSAGE) String name,
        @JsonProperty("description") @Size(max = 10_000)
        @Pattern(regexp = XML_TEXT, message = XML_TEXT_MESSAGE) @Schema(nullable = true) String description) {

    /**
     * No ASCII control characters but tab, CR and LF, no lone surrogates, no U+FFFE/U+FFFF
     * (none of them is legal XML 1.0 text). DOTALL-free on purpose: the class already excludes them.
     */
    static final String XML_TEXT = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F\\p{Cs}\\x{FFFE}\\x{FFFF}]*$";
    static final String XML_TEXT_MESSAGE = "must not contain XML control characters";
}
