package org.flip.imagingapi.user;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A hub user left out of provisioning (contract §1.5): the e-mail the caller sent, and why.
 * {@code privileged_account}: it belongs to the service account or an XNAT Administrator.
 */
public record SkippedUser(
        @Schema(description = "The e-mail as the caller sent it") String email,
        @Schema(description = "Why the user was left out", allowableValues = {"privileged_account"}) String reason) {

    @Override
    public String toString() {
        return "SkippedUser[email=<redacted>, reason=" + reason + "]";
    }
}
