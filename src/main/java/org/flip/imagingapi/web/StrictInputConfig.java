package org.flip.imagingapi.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Contract §1.4: request bodies and path values are read strictly. Only MVC's own JSON converter
 * gets the strict mapper (a copy of Boot's): XNAT's answers keep the shared, lenient one.
 * <ul>
 * <li>a key given twice is a 400 (Jackson keeps the last one by default);</li>
 * <li>a number with a fraction or an exponent where an integer is expected is a 400 (Jackson takes
 *     {@code 4.9} as 4 by default);</li>
 * <li>a value of another JSON type is a 400, never coerced: {@code "4"} for an integer, {@code "true"},
 *     {@code 0} or {@code 1} for a boolean, a number or a boolean for a text;</li>
 * <li>a body that is not UTF-8 is a 400: Jackson's decoder takes overlong forms ({@code C0 AF} for
 *     {@code /}), UTF-8-encoded surrogates and code points past U+10FFFF;</li>
 * </ul>
 * UUIDs in paths: {@link CanonicalUuidBinding}.
 */
@Configuration(proxyBeanMethods = false)
class StrictInputConfig implements WebMvcConfigurer {

    @Override
    public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        // Replaced, not changed: the converter instances are shared with Boot's RestTemplateBuilder.
        converters.replaceAll(converter -> converter instanceof MappingJackson2HttpMessageConverter json
                ? new MappingJackson2HttpMessageConverter(strict(json.getObjectMapper())) : converter);
    }

    static ObjectMapper strict(ObjectMapper shared) {
        ObjectMapper strict = shared.copy();
        strict.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        strict.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        refuseScalarCoercions(strict);
        strict.getFactory().setInputDecorator(new Utf8Only());
        return strict;
    }

    /**
     * A JSON value of another type is never taken for a number, a boolean or a text: {@code "4"}
     * is no integer, {@code "true"}, {@code 1} and {@code 0} are no booleans, {@code 42} and
     * {@code true} are no text (Jackson coerces each by default). The hub sends JSON types (its
     * pydantic models serialised), so nothing it sends is refused; a coercion is a 400 naming the field.
     */
    static void refuseScalarCoercions(ObjectMapper mapper) {
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }

    /**
     * Checks the body against Java's UTF-8 decoder before Jackson reads it. The body is read whole:
     * it is at most {@code imaging-api.max-request-body}. A zero byte never occurs in UTF-8 JSON
     * (control characters in strings are escaped), so UTF-16 and UTF-32 bodies are refused too
     * (RFC 8259 §8.1: JSON between systems is UTF-8).
     */
    static final class Utf8Only extends InputDecorator {

        @Override
        public InputStream decorate(IOContext context, InputStream in) throws IOException {
            byte[] body = in.readAllBytes();
            requireUtf8(body, 0, body.length);
            return new ByteArrayInputStream(body);
        }

        @Override
        public InputStream decorate(IOContext context, byte[] src, int offset, int length) throws IOException {
            requireUtf8(src, offset, length);
            return null;
        }

        @Override
        public Reader decorate(IOContext context, Reader reader) {
            return reader; // already decoded by the charset the request declared
        }

        private static void requireUtf8(byte[] bytes, int offset, int length) throws CharacterCodingException {
            for (int i = offset; i < offset + length; i++) {
                if (bytes[i] == 0) {
                    throw new MalformedInputException(1);
                }
            }
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
            ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
            CharBuffer out = CharBuffer.allocate(8192);
            while (true) {
                CoderResult result = decoder.decode(in, out, true);
                if (result.isError()) {
                    result.throwException();
                }
                if (result.isUnderflow()) {
                    break;
                }
                out.clear();
            }
            out.clear();
            CoderResult flushed = decoder.flush(out);
            if (flushed.isError()) {
                flushed.throwException();
            }
        }
    }
}
