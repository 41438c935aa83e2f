package org.flip.imagingapi.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Properties;
import org.flip.imagingapi.config.InboundAuthProperties;
import org.flip.imagingapi.web.ProblemAdvice;
import org.flip.imagingapi.web.Problems;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

/** {@code GET /health} reports FLIP_RELEASE when it is set (the reference reports its image tag so). */
@WebMvcTest(controllers = HealthController.class, properties = "FLIP_RELEASE=v2.4.1-trust")
@Import({ProblemAdvice.class, Problems.class})
@EnableConfigurationProperties(InboundAuthProperties.class)
class HealthControllerTest {

    @Autowired
    MockMvc mvc;

    @Test
    void theVersionIsFlipReleaseWhenSet() throws Exception {
        mvc.perform(get("/health"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("ok"))
                .andExpect(jsonPath("$.version").value("v2.4.1-trust"));
    }

    @Test
    void theVersionIsTheBuildsWhenFlipReleaseIsUnsetOrBlank() {
        Properties build = new Properties();
        build.setProperty("version", "0.1.0");
        ObjectProvider<BuildProperties> provider = new ObjectProvider<>() {
            @Override
            public BuildProperties getObject() {
                return new BuildProperties(build);
            }

            @Override
            public BuildProperties getIfAvailable() {
                return getObject();
            }
        };

        assertThat(new HealthController(provider, "").health()).containsEntry("version", "0.1.0");
        assertThat(new HealthController(provider, "  ").health()).containsEntry("version", "0.1.0");
        assertThat(new HealthController(provider, "v3").health()).containsEntry("version", "v3");
    }
}
