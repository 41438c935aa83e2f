package org.flip.imagingapi.user;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.flip.imagingapi.web.Identifiers;
import org.flip.imagingapi.web.PlainText;
import org.flip.imagingapi.web.XnatEmail;

/**
 * Body of {@code POST /users}. Checked against XNAT's own rules (username pattern, names without
 * {@code & < > " /}, its e-mail rule) and for text XML cannot carry, so that a bad value is our 422
 * and not XNAT's 400 turned into a 502.
 */
public record CreateUserRequest(
        @NotBlank @Pattern(regexp = Identifiers.USERNAME, message = Identifiers.USERNAME_MESSAGE) String username,
        @NotBlank @Size(max = 255) @PlainText String password,
        @NotBlank @XnatEmail @Size(max = 254) @Schema(format = "email") String email,
        @NotBlank @Size(max = 255) @PlainText @Pattern(regexp = NAME, message = NAME_MESSAGE) String firstName,
        @NotBlank @Size(max = 255) @PlainText @Pattern(regexp = NAME, message = NAME_MESSAGE) String lastName,
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
