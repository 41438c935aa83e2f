package org.flip.imagingapi;

import java.util.ArrayList;
import java.util.List;
import org.flip.imagingapi.emulator.XnatEmulator;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Entry point of {@code ./mvnw spring-boot:test-run}: the real application plus the demo XNAT. */
public class TestImagingApiApplication {

    public static void main(String[] args) {
        run(args);
    }

    /** The demo as {@code spring-boot:test-run} starts it; later arguments override the demo settings. */
    public static ConfigurableApplicationContext run(String... args) {
        // Fixed demo settings go in as arguments: the inbound key filter is built with the web server,
        // before DynamicPropertyRegistrar beans (which only supply the emulator's random URL) apply.
        List<String> all = new ArrayList<>(List.of(
                "--xnat.service-user=" + XnatEmulator.SERVICE_USER,
                "--xnat.service-password=" + XnatEmulator.SERVICE_PASSWORD,
                "--trust.internal-service.key=" + DemoXnatConfiguration.DEMO_KEY,
                "--AES_KEY_BASE64=" + DemoXnatConfiguration.DEMO_AES_KEY,
                "--DCM2NIIX_IMAGE=" + XnatEmulator.DCM2NIIX_IMAGE));
        all.addAll(List.of(args)); // later arguments win
        return SpringApplication.from(ImagingApiApplication::main).with(DemoXnatConfiguration.class)
                .run(all.toArray(String[]::new)).getApplicationContext();
    }
}
