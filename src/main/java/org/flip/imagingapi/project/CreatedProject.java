package org.flip.imagingapi.project;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.flip.imagingapi.model.User;
import org.flip.imagingapi.user.CreatedUser;

/** The provisioning flow's answer (contract §2), as the hub parses it. */
public record CreatedProject(
        @JsonProperty("ID") String id,
        @JsonProperty("name") String name,
        @JsonProperty("created_users") List<CreatedUser> createdUsers,
        @JsonProperty("added_users") List<User> addedUsers) {
}
