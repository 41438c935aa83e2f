package org.flip.imagingapi.config;

import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code LOG_FORMAT=json} switches the console to Boot's structured logging (Elastic Common
 * Schema: one JSON object per line, MDC entries such as {@code requestId} as top-level fields);
 * {@code text} or unset keeps the human format.
 *
 * <p>A placeholder in application.yml cannot map {@code json} to a formatter name, and trusts set
 * one obvious variable, so the mapping happens here, before the logging system starts. An explicit
 * {@code logging.structured.format.console} (e.g. {@code logstash}) still wins.
 */
public class LogFormatEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String VARIABLE = "LOG_FORMAT";
    static final String STRUCTURED_CONSOLE = "logging.structured.format.console";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String format = environment.getProperty(VARIABLE, "").strip().toLowerCase(Locale.ROOT);
        switch (format) {
            case "", "text" -> { }
            case "json" -> {
                if (!environment.containsProperty(STRUCTURED_CONSOLE)) {
                    environment.getPropertySources().addLast(new MapPropertySource("logFormat",
                            Map.of(STRUCTURED_CONSOLE, "ecs")));
                }
            }
            default -> throw new IllegalStateException(
                    VARIABLE + " must be 'text' or 'json' (was '" + format + "')");
        }
    }
}
