package org.flip.imagingapi.user;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A hub user to give access to a project (contract §2). */
public record CentralHubUser(
        @NotNull @Pattern(regexp = UUID, message = "must be a UUID") String id,
        @NotBlank @Email @Size(max = 254) String email,
        @JsonProperty("is_disabled") Boolean isDisabled) {

    /** Most hub users one request may carry (a hub project has a handful); checked while the body is read. */
    public static final int MAX_PER_REQUEST = 1000;

    /**
     * Held as text, not {@link java.util.UUID}: a malformed id is then a rule violation (422, contract
     * §1.4) rather than unreadable JSON (400).
     */
    static final String UUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

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
