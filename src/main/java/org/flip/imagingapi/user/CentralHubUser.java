package org.flip.imagingapi.user;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.flip.imagingapi.web.Identifiers;
import org.flip.imagingapi.web.XnatEmail;

/**
 * A hub user to give access to a project (contract §2). The id is held as text, not
 * {@link java.util.UUID}: a malformed id is then a rule violation (422, contract §1.4) rather than
 * unreadable JSON (400).
 */
public record CentralHubUser(
        @NotNull @Pattern(regexp = Identifiers.UUID, message = Identifiers.UUID_MESSAGE) String id,
        @NotBlank @XnatEmail @Size(max = 254) @Schema(format = "email") String email,
        @JsonProperty("is_disabled") Boolean isDisabled) {

    /** Most hub users one request may carry (a hub project has a handful); checked while the body is read. */
    public static final int MAX_PER_REQUEST = 1000;


    public CentralHubUser {
        if (isDisabled == null) {
            isDisabled = false;
        }
    }

    public boolean disabled() {
        return isDisabled;
    }

    @Override
    public String toString() {
        return "CentralHubUser[id=" + id + ", disabled=" + isDisabled + "]";
    }
}
