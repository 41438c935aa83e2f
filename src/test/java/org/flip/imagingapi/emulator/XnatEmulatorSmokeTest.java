package org.flip.imagingapi.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XnatEmulatorSmokeTest {
    @Test
    void demoServesProjects() {
        try (XnatEmulator emu = XnatEmulator.start()) {
            emu.seedDemo();
            var r = TestClient.admin(emu).get("/data/projects");
            System.out.println(r.statusCode() + " " + r.headers().map() + "\n" + r.body());
            assertThat(r.statusCode()).isEqualTo(200);
            var c = TestClient.admin(emu).get("/xapi/commands?image=" + XnatEmulator.DCM2NIIX_IMAGE);
            System.out.println(c.body());
            var e = TestClient.admin(emu).get("/data/projects/X/experiments/XNAT_E00001?format=json");
            System.out.println(e.body());
            System.out.println(TestClient.admin(emu).get("/data/projects/X").body());
            System.out.println(TestClient.anonymous(emu).get("/data/projects").body());
        }
    }
}
