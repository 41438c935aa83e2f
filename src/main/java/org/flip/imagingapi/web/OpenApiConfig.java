package org.flip.imagingapi.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.flip.imagingapi.config.InboundAuthProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document: the trust key as an apiKey scheme so Swagger UI's "Authorize" works. */
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
}
