package org.flip.imagingapi.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.flip.imagingapi.web.Identifiers;

/**
 * Body of {@code POST /users}. Checked against XNAT's own rules (username pattern, names without
 * {@code & < > " /}) so that a bad value is our 422 and not XNAT's 400 turned into a 502.
 */
public record CreateUserRequest(
        @NotBlank @Pattern(regexp = Identifiers.USERNAME, message = Identifiers.USERNAME_MESSAGE) String username,
        @NotBlank @Size(max = 255) String password,
        @NotBlank @Email @Size(max = 254) String email,
        @NotBlank @Size(max = 255) @Pattern(regexp = NAME, message = NAME_MESSAGE) String firstName,
        @NotBlank @Size(max = 255) @Pattern(regexp = NAME, message = NAME_MESSAGE) String lastName,
        Boolean enabled) {

    static final String NAME = "^[^&<>\"/]*$";
    static final String NAME_MESSAGE = "must not contain & < > \" or /";

    public CreateUserRequest {
        if (enabled == null) {
            enabled = true;
        }
    }

    @Override
    public String toString() {
        return "CreateUserRequest[username=" + username + ", password=<redacted>, enabled=" + enabled + "]";
    }
}
