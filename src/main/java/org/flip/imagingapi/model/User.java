package org.flip.imagingapi.model;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An XNAT account as the hub sees it (contract §2, XNAT's own field names). XNAT omits null
 * fields: {@code lastModified} is absent for a never-modified account and {@code
 * lastSuccessfulLogin} for one that never logged in, which is what marks an account for a fresh
 * invitation.
 */
public record User(@Schema(nullable = true) Long id, String username, @Schema(nullable = true) String email,
        @Schema(nullable = true) String firstName, @Schema(nullable = true) String lastName, boolean enabled,
        boolean verified, boolean secured, @Schema(nullable = true) Long lastModified,
        @Schema(nullable = true) Long lastSuccessfulLogin) {

    /** Never logged in: the random password was never disclosed, so only an invitation lets them in. */
    public boolean neverLoggedIn() {
        return lastSuccessfulLogin == null;
    }

    @Override
    public String toString() {
        return "User[id=" + id + ", username=" + username + ", enabled=" + enabled + "]";
    }
}
