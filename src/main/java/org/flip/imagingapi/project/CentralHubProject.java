package org.flip.imagingapi.project;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Locale;
import org.flip.imagingapi.model.Project;
import org.flip.imagingapi.user.CentralHubUser;
import org.flip.imagingapi.web.Identifiers;
import org.flip.imagingapi.web.PlainText;
import org.flip.imagingapi.web.TooManyElementsException;

/**
 * The hub's project, as the trust's task runner forwards it (contract §2). Ids are held as text so
 * that a malformed one is a 422 rule violation rather than unreadable JSON.
 */
@Schema(description = "A Central Hub project to provision in XNAT")
public record CentralHubProject(
        @JsonProperty("project_id") @NotNull @Pattern(regexp = Identifiers.UUID, message = Identifiers.UUID_MESSAGE)
        @Schema(example = "7e9c1d2a-3b4c-4d5e-8f6a-9b0c1d2e3f4a") String projectId,
        @JsonProperty("trust_id") @NotNull @Pattern(regexp = Identifiers.UUID, message = Identifiers.UUID_MESSAGE)
        @Schema(example = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a") String trustId,
        @JsonProperty("project_name") @NotNull @Size(max = 1000) @PlainText
        @Pattern(regexp = "^[^<>&]*$", message = "must not contain XML control characters (<, >, &)")
        @Schema(example = "Stroke outcomes") String projectName,
        @JsonProperty("query") @PlainText(lineBreaks = true) @Schema(nullable = true,
                description = "Accepted for compatibility; this service runs no PACS retrieval") String query,
        @JsonProperty("users") @Size(max = CentralHubUser.MAX_PER_REQUEST)
        @Valid List<@Valid @NotNull CentralHubUser> users,
        @JsonProperty("dicom_to_nifti") @Schema(defaultValue = "true") Boolean dicomToNifti) {

    public CentralHubProject {
        users = users == null ? List.of()
                : TooManyElementsException.requireAtMost("users", users, CentralHubUser.MAX_PER_REQUEST);
        dicomToNifti = dicomToNifti == null ? Boolean.TRUE : dicomToNifti;
    }

    /** The hub id as XNAT stores it in secondary_ID: canonical lower-case. */
    String hubId() {
        return projectId.toLowerCase(Locale.ROOT);
    }

    /** Contract §4 step 1. */
    String xnatName() {
        return projectName + xnatNameSuffix(hubId());
    }

    String xnatDescription() {
        return xnatDescription(hubId());
    }

    /** What every provisioned project's XNAT name ends with (the hub's project name before it may change). */
    public static String xnatNameSuffix(String hubId) {
        return ":" + hubId + "-FL-Project";
    }

    /** The XNAT description provisioning gives the project of {@code hubId} (contract §4 step 1). */
    public static String xnatDescription(String hubId) {
        return "Project corresponding to central hub project " + hubId;
    }

    @Override
    public String toString() {
        // Users carry e-mails; the query may carry cohort SQL.
        return "CentralHubProject[projectId=" + projectId + ", users=" + users.size() + ", dicomToNifti="
                + dicomToNifti + "]";
    }
}
