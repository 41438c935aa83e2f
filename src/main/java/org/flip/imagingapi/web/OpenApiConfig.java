package org.flip.imagingapi.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.validation.constraints.Pattern;
import java.math.BigDecimal;
import org.flip.imagingapi.config.InboundAuthProperties;
import org.springdoc.core.customizers.ParameterCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The OpenAPI document (OpenAPI 3.0, which generators, validators and Swagger UI all read): the trust
 * key as an apiKey scheme so Swagger UI's "Authorize" works, and the rules of the composed identifier
 * constraints ({@link ProjectId}, {@link Username}, ...) on the parameters that carry them. Its
 * server URL is the request's, so behind a TLS proxy it follows X-Forwarded-* (server.forward-headers-strategy).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static final String SCHEME = "trustKey";

    @Bean
    OpenAPI imagingApiOpenApi(InboundAuthProperties auth, ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI()
                .info(new Info().title("imaging-api")
                        .version(properties == null ? "dev" : properties.getVersion())
                        .description("The trust-side gateway between the FLIP Central Hub and the trust's XNAT. "
                                + "Every call except health needs the trust's internal service key."))
                .components(new Components().addSecuritySchemes(SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER)
                        .name(auth.keyHeader())
                        .description("The trust's internal service key (TRUST_INTERNAL_SERVICE_KEY)")))
                .addSecurityItem(new SecurityRequirement().addList(SCHEME));
    }

    /**
     * springdoc reads a {@code @Pattern} written on the parameter itself, not one a composed constraint
     * carries; this publishes the composed one. A {@link PositiveId} is held as text by the server (so
     * that anything else is a clean 422) but is the integer the answers carry.
     */
    @Bean
    ParameterCustomizer composedConstraintPatterns() {
        return (parameter, methodParameter) -> {
            if (parameter == null || methodParameter.getParameter() == null) {
                return parameter;
            }
            MergedAnnotations annotations = MergedAnnotations.from(methodParameter.getParameter());
            MergedAnnotation<Pattern> pattern = annotations.get(Pattern.class);
            if (annotations.isPresent(PositiveId.class)) {
                parameter.setSchema(new IntegerSchema().format("int64").minimum(BigDecimal.ONE));
            } else if (pattern.isPresent() && parameter.getSchema() != null) {
                parameter.getSchema().setPattern(pattern.getString("regexp"));
            }
            return parameter;
        };
    }

    /** The reference (FastAPI) serves Swagger UI at /docs; its callers' scripts still look there. No key needed. */
    @Bean
    @ConditionalOnProperty(name = "springdoc.swagger-ui.enabled", matchIfMissing = true)
    WebMvcConfigurer docsRedirect() {
        return new WebMvcConfigurer() {
            @Override
            public void addViewControllers(ViewControllerRegistry registry) {
                registry.addRedirectViewController("/docs", "/swagger-ui/index.html");
            }
        };
    }
}
