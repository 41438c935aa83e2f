package org.flip.imagingapi.web;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.xml.MappingJackson2XmlHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * jackson-dataformat-xml is on the classpath only to talk to XNAT. Without this, a browser's
 * {@code Accept: application/xml;q=0.9} would get XML from our JSON API.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyWebConfig implements WebMvcConfigurer {

    @Override
    public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        converters.removeIf(MappingJackson2XmlHttpMessageConverter.class::isInstance);
    }
}
