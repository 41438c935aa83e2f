package org.flip.imagingapi.user;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.flip.imagingapi.model.User;

/**
 * What provisioning did: accounts that got an invitation (new ones, and existing ones that never
 * logged in), every account now in the project's Members group (a new account is in both), and
 * the hub users left out because their e-mail belongs to a privileged XNAT account.
 */
public record ProvisionedUsers(
        @JsonProperty("created_users") List<CreatedUser> createdUsers,
        @JsonProperty("added_users") List<User> addedUsers,
        @JsonProperty("skipped_users") @Schema(description = "Hub users left out of provisioning: "
                + "their e-mail belongs to the service account or an XNAT Administrator, who are never invited, "
                + "enabled, disabled or mapped onto a hub user") List<SkippedUser> skippedUsers) {

    public static ProvisionedUsers none() {
        return new ProvisionedUsers(List.of(), List.of(), List.of());
    }
}
