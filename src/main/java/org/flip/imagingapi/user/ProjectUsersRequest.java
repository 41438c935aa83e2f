package org.flip.imagingapi.user;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.flip.imagingapi.web.TooManyElementsException;

/** Body of {@code POST /projects/{projectId}/users}. */
public record ProjectUsersRequest(
        @Valid @Size(max = CentralHubUser.MAX_PER_REQUEST) List<@NotNull CentralHubUser> users) {

    public ProjectUsersRequest {
        users = users == null ? List.of()
                : TooManyElementsException.requireAtMost("users", users, CentralHubUser.MAX_PER_REQUEST);
    }
}
