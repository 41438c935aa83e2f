package org.flip.imagingapi.project;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.flip.imagingapi.model.User;
import org.flip.imagingapi.user.CreatedUser;
import org.flip.imagingapi.user.SkippedUser;

/**
 * The provisioning flow's answer (contract §2), as the hub parses it; {@code skipped_users} and
 * {@code subscription} are added fields a caller that does not know them ignores.
 */
public record CreatedProject(
        @JsonProperty("ID") String id,
        @JsonProperty("name") String name,
        @JsonProperty("created_users") List<CreatedUser> createdUsers,
        @JsonProperty("added_users") List<User> addedUsers,
        @JsonProperty("skipped_users") @Schema(description = "Hub users left out: their e-mail belongs to the "
                + "service account or an XNAT Administrator, who are never invited, enabled, disabled or mapped "
                + "onto a hub user") List<SkippedUser> skippedUsers,
        @JsonProperty("subscription") @Schema(description = "The dcm2niix event subscription that covers the "
                + "project: its own, or a site-wide one (then none of the project's own was added, and `active` "
                + "is the site-wide one's, which cannot be switched per project)") CoveringSubscription subscription) {

    /** The subscription running dcm2niix on the project's new scans. */
    public record CoveringSubscription(
            @JsonProperty("id") @Schema(nullable = true, description = "XNAT's id (null only when XNAT did not "
                    + "answer it on creation)") Long id,
            @JsonProperty("active") boolean active,
            @JsonProperty("site_wide") @Schema(description = "True when a site-wide subscription covers the "
                    + "project (XNAT's admin pages manage it)") boolean siteWide) {
    }
}
