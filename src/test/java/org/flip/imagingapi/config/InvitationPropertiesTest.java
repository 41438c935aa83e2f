package org.flip.imagingapi.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.flip.imagingapi.user.InvitationCipher;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

class InvitationPropertiesTest {

    static final String SHORT_KEY = Base64.getEncoder().encodeToString(new byte[16]);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(InvitationProperties.class)
    @Import(InvitationCipher.class)
    static class Invitations {
    }

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Invitations.class);

    @Test
    void aThirtyTwoByteKeyStarts() {
        runner.withPropertyValues("imaging-api.invitation.aes-key-base64=" + Base64.getEncoder().encodeToString(new byte[32]))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(InvitationProperties.class).context()).isEqualTo("xnat_setup_path");
                });
    }

    @Test
    void aWrongLengthKeyStopsStartUpWithOneLineNamingTheVariableButNotTheValue() {
        runner.withPropertyValues("imaging-api.invitation.aes-key-base64=" + SHORT_KEY).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new InvalidAesKeyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("AES_KEY_BASE64").contains("16 bytes")
                    .doesNotContain(SHORT_KEY).doesNotContain("\n");
        });
    }

    @Test
    void aMissingKeyStopsStartUp() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(new InvalidAesKeyFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                    .contains("AES_KEY_BASE64 is not set");
        });
    }

    @Test
    void aKeyThatIsNotBase64StopsStartUp() {
        runner.withPropertyValues("imaging-api.invitation.aes-key-base64=not*base64!").run(context -> {
            assertThat(context).hasFailed();
            assertThat(new InvalidAesKeyFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                    .contains("AES_KEY_BASE64 is not valid standard base64").doesNotContain("not*base64!");
        });
    }

    @Test
    void toStringRedactsTheKey() {
        String key = Base64.getEncoder().encodeToString(new byte[32]);

        assertThat(new InvitationProperties(key, "xnat_setup_path").toString()).doesNotContain(key).contains("redacted");
    }
}
