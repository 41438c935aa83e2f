package org.flip.imagingapi.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** A missing required value stops start-up with a line that names the variable. */
class StartupValidationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(XnatProperties.class)
    static class Config {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class,
                    ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    @Test
    void aMissingServiceUserNamesTheVariable() {
        runner.withPropertyValues("xnat.url=http://xnat:8080", "xnat.service-password=pw").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure())).contains("XNAT_SERVICE_USER must be set");
        });
    }

    @Test
    void aMissingServicePasswordNamesTheVariable() {
        runner.withPropertyValues("xnat.url=http://xnat:8080", "xnat.service-user=svc").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure())).contains("XNAT_SERVICE_PASSWORD must be set");
        });
    }

    @Test
    void thePasswordNeverShowsInToString() {
        runner.withPropertyValues("xnat.url=http://xnat:8080", "xnat.service-user=svc",
                "xnat.service-password=very-secret").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(XnatProperties.class).toString()).doesNotContain("very-secret");
        });
    }

    private static String rootMessage(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
