package org.flip.imagingapi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report's status is the worst of its checks: drift, then unknown, then ok; the checks it does not
 * make are only named in not_checked, with one hint (none when it makes them all).
 */
class AuditReportTest {

    private static final AuditCheck OK = AuditCheck.ok("a", "x", "x");
    private static final AuditCheck DRIFT = AuditCheck.drift("b", "x", "y", "fix");
    private static final AuditCheck UNKNOWN = AuditCheck.unknown("c", "x", "HTTP 500", "retry");

    @Test
    void theWorstCheckDecides() {
        assertThat(AuditReport.of("P", List.of(OK), List.of("d"), "POST").status()).isEqualTo(AuditReport.Overall.OK);
        assertThat(AuditReport.of("P", List.of(OK, UNKNOWN)).status()).isEqualTo(AuditReport.Overall.UNKNOWN);
        assertThat(AuditReport.of("P", List.of(DRIFT, UNKNOWN)).status()).isEqualTo(AuditReport.Overall.DRIFT);
        assertThat(AuditReport.of("P", List.of(UNKNOWN, DRIFT, OK)).status()).isEqualTo(AuditReport.Overall.DRIFT);
        assertThat(AuditReport.of("P", List.of()).status()).isEqualTo(AuditReport.Overall.OK);
    }

    @Test
    void theHintGoesWithTheChecksLeftOutAndOnlyWithThem() {
        AuditReport partial = AuditReport.of("P", List.of(OK), List.of("extra_members"), "POST the users");
        assertThat(partial.notChecked()).containsExactly("extra_members");
        assertThat(partial.notCheckedFix()).isEqualTo("POST the users");
        AuditReport complete = AuditReport.of("P", List.of(OK), List.of(), "POST the users");
        assertThat(complete.notChecked()).isEmpty();
        assertThat(complete.notCheckedFix()).isNull();
    }

    @Test
    void everyStatusIsOneOfTheIssuesThree() {
        assertThat(AuditCheck.Status.values()).extracting(AuditCheck.Status::json)
                .containsExactly("ok", "drift", "unknown");
    }
}
