package org.flip.imagingapi.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code PUT /users}: the hub's "update user profile" task, keyed by e-mail. */
public record UpdateUserRequest(@NotBlank @Email @Size(max = 254) String email, @NotNull Boolean enabled) {

    @Override
    public String toString() {
        return "UpdateUserRequest[enabled=" + enabled + "]";
    }
}
