package org.flip.imagingapi.user;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An account the hub must invite: {@code encrypted_setup_path} is the set-password path of
 * contract §4 step 7, encrypted in the §4.1 envelope for the hub.
 */
public record CreatedUser(String username, String email,
        @JsonProperty("encrypted_setup_path") String encryptedSetupPath) {

    @Override
    public String toString() {
        return "CreatedUser[username=" + username + ", encrypted_setup_path=<redacted>]";
    }
}
