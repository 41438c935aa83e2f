package org.flip.imagingapi;

import org.flip.imagingapi.emulator.XnatEmulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;
import org.springframework.test.context.support.DynamicPropertyRegistrarBeanInitializer;

/**
 * The newcomer's first run ({@code ./mvnw spring-boot:test-run}): the service against the
 * in-memory XNAT emulator, loaded with demo data, and a fixed demo key.
 */
@TestConfiguration(proxyBeanMethods = false)
public class DemoXnatConfiguration {

    public static final String DEMO_KEY = "demo-trust-key-3f8a1c6e9b2d5f0a7c4e";
    /** A demo AES-256 key (32 zero-to-31 bytes): never use it outside the demo. */
    public static final String DEMO_AES_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private static final Logger log = LoggerFactory.getLogger(DemoXnatConfiguration.class);

    @Bean(destroyMethod = "close")
    XnatEmulator demoXnat() {
        XnatEmulator xnat = XnatEmulator.start();
        xnat.seedDemo();
        xnat.seedDemoScratch();
        xnat.seedDemoAuditDrift();
        return xnat;
    }

    @Bean
    DynamicPropertyRegistrar demoXnatProperties(XnatEmulator demoXnat) {
        return registry -> {
            registry.add("xnat.url", demoXnat::baseUrl);
        };
    }

    /** Without it, DynamicPropertyRegistrar beans are ignored outside the TestContext framework. */
    @Bean
    static DynamicPropertyRegistrarBeanInitializer dynamicPropertyRegistrarBeanInitializer() {
        return new DynamicPropertyRegistrarBeanInitializer();
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> demoBanner(XnatEmulator demoXnat) {
        return event -> {
            int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                    ? web.getWebServer().getPort() : 8000;
            log.info("""

                    ==================================================================
                     imaging-api demo is running against the XNAT emulator at {}
                     Key header:  X-Trust-Internal-Service-Key: {}
                     Swagger UI:  http://localhost:{}/swagger-ui/index.html
                     Try:         curl -H 'X-Trust-Internal-Service-Key: {}' http://localhost:{}/projects
                    ==================================================================""",
                    demoXnat.baseUrl(), DEMO_KEY, port, DEMO_KEY, port);
        };
    }
}
