package org.flip.imagingapi.web;

import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.xml.MappingJackson2XmlHttpMessageConverter;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The API speaks JSON, and problem+json for errors. jackson-dataformat-xml is on the classpath only
 * to talk to XNAT: without the converter removed, a browser's {@code Accept: application/xml;q=0.9}
 * would get XML from our JSON API.
 *
 * <p>Content negotiation: an {@code Accept} that admits {@code application/json} or
 * {@code application/problem+json} (wildcards included) gets the real answer, success as JSON and
 * errors as problem+json, whichever of the two it named. Generated clients send
 * {@code Accept: application/problem+json} for operations whose documented answers are problems
 * only (a 204 delete), and must not read a 406 instead. Only an {@code Accept} that admits neither
 * is a 406.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyWebConfig implements WebMvcConfigurer {

    private static final List<MediaType> JSON_ANSWERS = List.of(MediaType.APPLICATION_JSON,
            MediaType.APPLICATION_PROBLEM_JSON);

    @Override
    public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        converters.removeIf(MappingJackson2XmlHttpMessageConverter.class::isInstance);
    }

    @Override
    public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
        configurer.strategies(List.of(new JsonFriendlyAccept()));
    }

    /** The Accept header as sent, plus JSON and problem+json when it admits either of them. */
    static final class JsonFriendlyAccept extends HeaderContentNegotiationStrategy {

        @Override
        public List<MediaType> resolveMediaTypes(NativeWebRequest request)
                throws HttpMediaTypeNotAcceptableException {
            List<MediaType> accepted = super.resolveMediaTypes(request);
            List<MediaType> admitted = accepted.stream().filter(type -> type.getQualityValue() > 0).toList();
            boolean admitsOne = admitted.stream().anyMatch(type -> JSON_ANSWERS.stream().anyMatch(type::includes));
            boolean admitsBoth = JSON_ANSWERS.stream()
                    .allMatch(answer -> admitted.stream().anyMatch(type -> type.includes(answer)));
            if (!admitsOne || admitsBoth) {
                return accepted;
            }
            List<MediaType> widened = new ArrayList<>(accepted);
            JSON_ANSWERS.stream().filter(type -> !widened.contains(type)).forEach(widened::add);
            return widened;
        }
    }
}
