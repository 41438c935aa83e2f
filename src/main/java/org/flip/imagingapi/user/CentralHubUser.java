package org.flip.imagingapi.user;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/** A hub user to give access to a project (contract §2). */
public record CentralHubUser(
        @NotNull UUID id,
        @NotBlank @Email @Size(max = 254) String email,
        @JsonProperty("is_disabled") Boolean isDisabled) {

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
