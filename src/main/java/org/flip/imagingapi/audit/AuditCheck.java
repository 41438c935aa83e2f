package org.flip.imagingapi.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One property provisioning establishes, as XNAT holds it now. {@code expected} and {@code found}
 * are short texts for a person; {@code fix} says what re-running provisioning would do about a
 * drift, or what an XNAT administrator must do when provisioning cannot.
 */
@Schema(description = "One property the provisioning flow establishes, compared with what XNAT holds")
public record AuditCheck(
        @JsonProperty("check") @Schema(example = "prearchive_code") String check,
        @JsonProperty("status") Status status,
        @JsonProperty("expected") @Schema(example = "4") String expected,
        @JsonProperty("found") @Schema(example = "0") String found,
        @JsonProperty("fix") @Schema(nullable = true, description = "Null when the check is ok (but for "
                + "hub_users_in_project naming hub users provisioning leaves out as privileged accounts)",
                example = "Re-running provisioning sets the prearchive code to 4.") String fix) {

    /** A check the report does not make is left out of it (the report's {@code not_checked} names it). */
    @Schema(description = "ok, drift or unknown (XNAT could not tell; found says why)")
    public enum Status {
        OK, DRIFT, UNKNOWN;

        @JsonValue
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static AuditCheck ok(String check, String expected, String found) {
        return new AuditCheck(check, Status.OK, expected, found, null);
    }

    /** Ok, with a note for a person (what neither provisioning nor this check can change). */
    static AuditCheck ok(String check, String expected, String found, String note) {
        return new AuditCheck(check, Status.OK, expected, found, note);
    }

    static AuditCheck drift(String check, String expected, String found, String fix) {
        return new AuditCheck(check, Status.DRIFT, expected, found, fix);
    }

    static AuditCheck unknown(String check, String expected, String found, String fix) {
        return new AuditCheck(check, Status.UNKNOWN, expected, found, fix);
    }
}
