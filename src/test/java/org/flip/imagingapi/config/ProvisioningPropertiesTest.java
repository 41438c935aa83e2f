package org.flip.imagingapi.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class ProvisioningPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ProvisioningProperties.class)
    static class Config {
    }

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    @Test
    void theDefaultImageIsPinnedAndThePrearchiveCodeIs4() {
        runner.run(context -> {
            ProvisioningProperties properties = context.getBean(ProvisioningProperties.class);
            assertThat(properties.dcm2niixImage()).isEqualTo("ghcr.io/londonaicentre/xnat-dcm2niix:v1.0.20260724");
            assertThat(properties.prearchiveCode()).isEqualTo(4);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"xnat/dcm2niix:latest", "xnat/dcm2niix:LATEST", "xnat/dcm2niix", "localhost:5000/dcm2niix",
            "xnat/dcm2niix:", " "})
    void aMovingOrMissingTagStopsStartUpWithAClearMessage(String image) {
        runner.withPropertyValues("provisioning.dcm2niix-image=" + image).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("DCM2NIIX_IMAGE");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"xnat/dcm2niix:1.0.2", "localhost:5000/dcm2niix:v2", "dcm2niix@sha256:abc123",
            "xnat/dcm2niix:latest@sha256:abc123"})
    void aTagOrADigestIsPinned(String image) {
        assertThat(ProvisioningProperties.isPinned(image)).isTrue();
    }

    @Test
    void anUnknownPrearchiveCodeStopsStartUp() {
        runner.withPropertyValues("provisioning.prearchive-code=3")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void perUserStepsRunEightAtATimeByDefaultAndOneToSixteenAreAccepted() {
        runner.run(context -> assertThat(context.getBean(ProvisioningProperties.class).userConcurrency()).isEqualTo(8));
        for (String accepted : new String[] {"1", "16"}) {
            runner.withPropertyValues("provisioning.user-concurrency=" + accepted).run(context ->
                    assertThat(context.getBean(ProvisioningProperties.class).userConcurrency())
                            .isEqualTo(Integer.parseInt(accepted)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "17", "200"})
    void aUserConcurrencyOutsideOneToSixteenStopsStartUp(String value) {
        runner.withPropertyValues("provisioning.user-concurrency=" + value).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("provisioning.user-concurrency");
        });
    }
}
