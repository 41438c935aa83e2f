package org.flip.imagingapi.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.flip.imagingapi.ImagingApiApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/** Contract §1.2: the inbound key is at least 32 characters and no known placeholder; empty stays allowed. */
@ExtendWith(OutputCaptureExtension.class)
class InboundAuthPropertiesTest {

    static final String GOOD = "q7Vt2xLm9RfK4wZp8NcB1yHd6JsG3aEu";
    static final String GOOD_PREVIOUS = "Zr5Tn8Wq2Lk7Xv4Mb9Pc3Hy6Gd1Js0Fa";

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(InboundAuthProperties.class)
    static class Config {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class,
                    ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    /** The one line start-up prints: it names the variable and never carries the value. */
    private String refusal(String... properties) {
        String[] description = new String[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new WeakServiceKeyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
            description[0] = analysis.getDescription();
        });
        assertThat(description[0]).doesNotContain("\n");
        return description[0];
    }

    @Test
    void aKeyShorterThan32CharactersStopsStartUp() {
        String key = GOOD.substring(0, 31);

        assertThat(refusal("trust.internal-service.key=" + key))
                .contains("TRUST_INTERNAL_SERVICE_KEY is 31 characters long").contains("at least 32")
                .doesNotContain(key);
    }

    @Test
    void knownPlaceholdersStopStartUpWhateverTheirCaseOrLength() {
        for (String placeholder : List.of("CHANGE-ME", "changeme", "secret", "Secret", "password", "demo-trust-key",
                "CHANGE-ME-CHANGE-ME-CHANGE-ME-CHANGE-ME", "change_me_to_a_long_random_string_please",
                "Replace-Me-With-The-Trusts-Own-Shared-Key", "your-secret-key-goes-here-0123456789",
                "example-internal-service-key-for-docs", "secretsecretsecretsecretsecretsecret",
                "SECRET-PASSWORD-SECRET-PASSWORD-1234", "test-key-test-key-test-key-test-key-1",
                "00000000000000000000000000000000", "abababababababababababababababab", "1234567123456712345671234567")) {
            String line = refusal("trust.internal-service.key=" + placeholder);

            assertThat(line).as(placeholder).startsWith("TRUST_INTERNAL_SERVICE_KEY ")
                    .doesNotContain(placeholder);
        }
    }

    @Test
    void keysWithWhitespaceAroundThemStopStartUp() {
        // As an environment variable read from a secret file keeps it (withPropertyValues would trim it).
        String[] description = new String[1];
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                new MapPropertySource("secret-file", Map.of("trust.internal-service.key", GOOD + "\n"))))
                .run(context -> {
                    assertThat(context).hasFailed();
                    description[0] = new WeakServiceKeyFailureAnalyzer().analyze(context.getStartupFailure())
                            .getDescription();
                });
        assertThat(description[0]).contains("TRUST_INTERNAL_SERVICE_KEY starts or ends with whitespace")
                .doesNotContain(GOOD);
    }

    @Test
    void aRandomKeyAndAnEmptyKeyStart() {
        runner.withPropertyValues("trust.internal-service.key=" + GOOD).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(InboundAuthProperties.class).configured()).isTrue();
        });
        // Fail closed: no key, every protected route 401 (FailClosedTest).
        runner.withPropertyValues("trust.internal-service.key=").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(InboundAuthProperties.class).configured()).isFalse();
        });
        // What the README tells operators to run: openssl rand -base64 48 (64 characters) or -hex 32.
        runner.withPropertyValues("trust.internal-service.key=3b1f9a0c7e5d2b8f4a6c1e9d0b7f3a5c8e2d4f6a1b9c7e0d5f3a2b8c6e4d1f0a")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void thePreviousKeyFollowsTheSameRulesAndNeedsACurrentOne() {
        assertThat(refusal("trust.internal-service.key=" + GOOD, "trust.internal-service.key-previous=CHANGE-ME"))
                .startsWith("TRUST_INTERNAL_SERVICE_KEY_PREVIOUS is 9 characters long");
        assertThat(refusal("trust.internal-service.key-previous=" + GOOD_PREVIOUS))
                .contains("TRUST_INTERNAL_SERVICE_KEY is empty").doesNotContain(GOOD_PREVIOUS);
        runner.withPropertyValues("trust.internal-service.key=" + GOOD,
                "trust.internal-service.key-previous=" + GOOD_PREVIOUS).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(InboundAuthProperties.class).rotating()).isTrue();
                    assertThat(context.getBean(InboundAuthProperties.class).toString())
                            .doesNotContain(GOOD).doesNotContain(GOOD_PREVIOUS);
                });
    }

    /** The real start-up: the analyzer is registered, and what it prints is all an operator sees. */
    @Test
    void theApplicationRefusesAPlaceholderKeyWithOneLineAndNeverPrintsIt(CapturedOutput output) {
        String placeholder = "CHANGE-ME-TO-THE-TRUSTS-OWN-LONG-RANDOM-KEY";
        SpringApplication application = new SpringApplication(ImagingApiApplication.class);
        Throwable failure = null;
        try {
            application.run("--server.port=0", "--management.server.port=0", "--xnat.url=http://127.0.0.1:9",
                    "--xnat.service-user=svc", "--xnat.service-password=pw",
                    "--spring.main.banner-mode=off", "--TRUST_INTERNAL_SERVICE_KEY=" + placeholder);
        } catch (RuntimeException e) {
            failure = e;
        }

        assertThat(failure).as("start-up with a placeholder key").isNotNull();
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("TRUST_INTERNAL_SERVICE_KEY is a placeholder or a guessable value, not a key.")
                .contains("openssl rand -base64 48")
                .doesNotContain(placeholder);
    }
}
