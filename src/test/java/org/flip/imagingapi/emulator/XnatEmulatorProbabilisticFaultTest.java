package org.flip.imagingapi.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probabilistic faults bench/load.sh injects (10 % of XNAT calls answering 500). */
class XnatEmulatorProbabilisticFaultTest extends DemoEmulatorTest {

    @BeforeEach
    void setUp() {
        admin.get("/data/projects?format=json"); // logs in before any fault applies
    }

    @Test
    void aFaultWithAProbabilityHitsAboutThatShareOfCallsAndKeepsApplying() {
        xnat.inject(XnatOps.LIST_PROJECTS, Fault.status(500, "boom"), 0.5);

        int failed = 0;
        for (int i = 0; i < 400; i++) {
            if (admin.get("/data/projects?format=json").statusCode() == 500) {
                failed++;
            }
        }

        assertThat(failed).isBetween(140, 260);
    }

    @Test
    void anyOperationCoversEveryOperationButTheLogins() {
        xnat.inject(XnatEmulator.ANY_OPERATION, Fault.status(503, "down"), 1.0);

        assertThat(admin.get("/data/projects?format=json").statusCode()).isEqualTo(503);
        assertThat(admin.get("/xapi/users/profiles").statusCode()).isEqualTo(503);
        assertThat(TestClient.basic(xnat, XnatEmulator.SERVICE_USER, XnatEmulator.SERVICE_PASSWORD)
                .post("/data/JSESSION", "", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aLimitedFaultWithAProbabilityAppliesOnlyItsNumberOfTimes() {
        xnat.inject(XnatOps.LIST_PROJECTS, Fault.status(500, "once").times(1), 1.0);

        assertThat(admin.get("/data/projects?format=json").statusCode()).isEqualTo(500);
        assertThat(admin.get("/data/projects?format=json").statusCode()).isEqualTo(200);
    }

    @Test
    void aProbabilityOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> xnat.inject(XnatOps.LIST_PROJECTS, Fault.status(500, ""), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> xnat.inject(XnatOps.LIST_PROJECTS, Fault.status(500, ""), 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
