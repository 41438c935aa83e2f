package org.flip.imagingapi;

import org.flip.imagingapi.emulator.XnatEmulator;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of flow tests: the whole application against the stateful XNAT emulator. One emulator is
 * shared by every flow test class (so Spring caches one context); tests create their own data and
 * assert on the emulator's state, not on mocks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(OpenApiResponseValidation.class)
public abstract class EmulatorFlowTest {

    public static final String KEY = "test-trust-key-5f0c2a9e4b7d1e3c8a6f";
    protected static final XnatEmulator xnat = SharedEmulator.INSTANCE;

    @Autowired
    protected TestRestTemplate rest;

    @DynamicPropertySource
    static void xnatProperties(DynamicPropertyRegistry registry) {
        registry.add("xnat.url", xnat::baseUrl);
        registry.add("xnat.service-user", () -> XnatEmulator.SERVICE_USER);
        registry.add("xnat.service-password", () -> XnatEmulator.SERVICE_PASSWORD);
        registry.add("trust.internal-service.key", () -> KEY);
        registry.add("AES_KEY_BASE64", () -> DemoXnatConfiguration.DEMO_AES_KEY);
        registry.add("DCM2NIIX_IMAGE", () -> XnatEmulator.DCM2NIIX_IMAGE);
    }

    @BeforeEach
    void cleanFaultsAndCounters() {
        xnat.clearFaults();
        xnat.resetCounters();
    }

    /** Headers of an authenticated JSON request. */
    protected HttpHeaders keyHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-Trust-Internal-Service-Key", KEY);
        headers.setContentType(MediaType.APPLICATION_JSON);
        return headers;
    }

    private static final class SharedEmulator {
        static final XnatEmulator INSTANCE = start();

        private static XnatEmulator start() {
            XnatEmulator emulator = XnatEmulator.start();
            emulator.seedDemo();
            Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "xnat-emulator-stop"));
            return emulator;
        }
    }
}
