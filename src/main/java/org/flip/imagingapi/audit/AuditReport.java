package org.flip.imagingapi.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Locale;

/** What XNAT holds for one hub project against what provisioning would make of it. */
@Schema(description = "A provisioning audit: every property provisioning establishes, checked against XNAT")
public record AuditReport(
        @JsonProperty("project_id") @Schema(description = "The XNAT project audited",
                example = "5c0e9a7b-3d2f-5e1a-8b4c-6d7e8f9a0b1c") String projectId,
        @JsonProperty("status") Overall status,
        @JsonProperty("checks") @ArraySchema(schema = @Schema(implementation = AuditCheck.class)) List<AuditCheck> checks,
        @JsonProperty("not_checked") @ArraySchema(arraySchema = @Schema(description = "The checks this report "
                + "leaves out (they are not in checks and do not count towards status): hub_users_in_project and "
                + "extra_members need the POST with the hub's users, never_logged_in the POST or include_logins=true"),
                schema = @Schema(example = "never_logged_in")) List<String> notChecked,
        @JsonProperty("not_checked_fix") @Schema(nullable = true, description = "How to have the checks of "
                + "not_checked made; null when it is empty", example = "POST the hub project's users to "
                + "/projects/DEMO_DRIFT/audit for these (one XNAT user listing).") String notCheckedFix) {

    public AuditReport {
        checks = List.copyOf(checks);
        notChecked = List.copyOf(notChecked);
    }

    /** The worst of the checks: drift over unknown over ok. */
    @Schema(description = "The worst of the checks: drift, then unknown, then ok")
    public enum Overall {
        OK, DRIFT, UNKNOWN;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A report that makes every check. */
    static AuditReport of(String projectId, List<AuditCheck> checks) {
        return of(projectId, checks, List.of(), null);
    }

    static AuditReport of(String projectId, List<AuditCheck> checks, List<String> notChecked, String notCheckedFix) {
        Overall overall = Overall.OK;
        for (AuditCheck check : checks) {
            if (check.status() == AuditCheck.Status.DRIFT) {
                overall = Overall.DRIFT;
            } else if (check.status() == AuditCheck.Status.UNKNOWN && overall == Overall.OK) {
                overall = Overall.UNKNOWN;
            }
        }
        return new AuditReport(projectId, overall, checks, notChecked, notChecked.isEmpty() ? null : notCheckedFix);
    }
}
