package org.flip.imagingapi.emulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the emulator's own tests: every test gets a fresh emulator with the demo data and a client
 * speaking Basic auth as the service account (no call is made until a test makes one).
 */
abstract class DemoEmulatorTest {

    protected XnatEmulator xnat;
    protected TestClient admin;

    @BeforeEach
    void startDemoEmulator() {
        xnat = XnatEmulator.start();
        xnat.seedDemo();
        admin = TestClient.admin(xnat);
    }

    @AfterEach
    void closeEmulator() {
        xnat.close();
    }
}
