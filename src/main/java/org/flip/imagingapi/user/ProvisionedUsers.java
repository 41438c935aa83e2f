package org.flip.imagingapi.user;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.flip.imagingapi.model.User;

/**
 * What provisioning did: accounts that got an invitation (new ones, and existing ones that never
 * logged in) and every account now in the project's Members group. A new account is in both.
 */
public record ProvisionedUsers(
        @JsonProperty("created_users") List<CreatedUser> createdUsers,
        @JsonProperty("added_users") List<User> addedUsers) {

    public static ProvisionedUsers none() {
        return new ProvisionedUsers(List.of(), List.of());
    }
}
