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
        @JsonProperty("checks") @ArraySchema(schema = @Schema(implementation = AuditCheck.class)) List<AuditCheck> checks) {

    public AuditReport {
        checks = List.copyOf(checks);
    }

    /** The worst of the checks: drift over unknown over ok ({@code not_checked} does not count). */
    @Schema(description = "The worst of the checks: drift, then unknown, then ok (not_checked does not count)")
    public enum Overall {
        OK, DRIFT, UNKNOWN;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static AuditReport of(String projectId, List<AuditCheck> checks) {
        Overall overall = Overall.OK;
        for (AuditCheck check : checks) {
            if (check.status() == AuditCheck.Status.DRIFT) {
                overall = Overall.DRIFT;
            } else if (check.status() == AuditCheck.Status.UNKNOWN && overall == Overall.OK) {
                overall = Overall.UNKNOWN;
            }
        }
        return new AuditReport(projectId, overall, checks);
    }
}
