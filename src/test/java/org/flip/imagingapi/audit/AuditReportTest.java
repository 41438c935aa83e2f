package org.flip.imagingapi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's status is the worst of its checks: drift, then unknown, then ok; not_checked never counts. */
class AuditReportTest {

    private static final AuditCheck OK = AuditCheck.ok("a", "x", "x");
    private static final AuditCheck DRIFT = AuditCheck.drift("b", "x", "y", "fix");
    private static final AuditCheck UNKNOWN = AuditCheck.unknown("c", "x", "HTTP 500", "retry");
    private static final AuditCheck NOT_CHECKED = AuditCheck.notChecked("d", "x", "POST");

    @Test
    void theWorstCheckDecides() {
        assertThat(AuditReport.of("P", List.of(OK, NOT_CHECKED)).status()).isEqualTo(AuditReport.Overall.OK);
        assertThat(AuditReport.of("P", List.of(OK, UNKNOWN, NOT_CHECKED)).status())
                .isEqualTo(AuditReport.Overall.UNKNOWN);
        assertThat(AuditReport.of("P", List.of(DRIFT, UNKNOWN)).status()).isEqualTo(AuditReport.Overall.DRIFT);
        assertThat(AuditReport.of("P", List.of(UNKNOWN, DRIFT, OK)).status()).isEqualTo(AuditReport.Overall.DRIFT);
        assertThat(AuditReport.of("P", List.of()).status()).isEqualTo(AuditReport.Overall.OK);
    }
}
