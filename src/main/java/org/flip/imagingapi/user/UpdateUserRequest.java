package org.flip.imagingapi.user;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.flip.imagingapi.web.XnatEmail;

/** Body of {@code PUT /users}: the hub's "update user profile" task, keyed by e-mail. */
public record UpdateUserRequest(@NotBlank @XnatEmail @Size(max = 254) @Schema(format = "email") String email,
        @NotNull Boolean enabled) {

    @Override
    public String toString() {
        return "UpdateUserRequest[enabled=" + enabled + "]";
    }
}
