package org.flip.imagingapi.user;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /projects/{projectId}/users}. */
public record ProjectUsersRequest(@Valid @Size(max = 1000) List<@NotNull CentralHubUser> users) {

    public ProjectUsersRequest {
        if (users == null) {
            users = List.of();
        }
    }
}
