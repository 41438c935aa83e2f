package org.flip.imagingapi.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Clients run the document's patterns in their own regex engines: ECMA-262 (JavaScript, most JSON Schema
 * validators) and Python's {@code re}, neither of which knows Java's Unicode properties ({@code \p{Cntrl}}),
 * {@code \x{...}} escapes, possessive quantifiers or atomic groups; a generated Python client fails to
 * build a request with one ({@code re.error: bad escape \p}). The server may check more than the document
 * says: a pattern written in such Java-only syntax is left out of the document (the server still applies
 * it), and every pattern the document keeps is tested against both engines.
 */
final class PortablePatterns {

    /** Syntax that Java accepts and ECMA-262 or Python {@code re} reads differently or rejects. */
    private static final Pattern JAVA_ONLY = Pattern.compile(
            "\\\\[pPxX]\\{|\\\\[hHRXAZzGQE]|\\(\\?>|\\(\\?<[A-Za-z]|\\(\\?[a-zA-Z-]+[):]|[*+?}]\\+|&&|\\[\\[");

    private PortablePatterns() {
    }

    static boolean isPortable(String pattern) {
        return !JAVA_ONLY.matcher(pattern).find();
    }

    static void keepOnlyPortable(OpenAPI openApi) {
        Set<Schema<?>> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        if (openApi.getComponents().getSchemas() != null) {
            openApi.getComponents().getSchemas().values().forEach(schema -> visit(schema, seen));
        }
        if (openApi.getComponents().getParameters() != null) {
            openApi.getComponents().getParameters().values().forEach(p -> visit(p.getSchema(), seen));
        }
        openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
            if (operation.getParameters() != null) {
                operation.getParameters().forEach(p -> visit(p.getSchema(), seen));
            }
            if (operation.getRequestBody() != null) {
                visit(operation.getRequestBody().getContent(), seen);
            }
            if (operation.getResponses() != null) {
                operation.getResponses().values().forEach(r -> visit(r.getContent(), seen));
            }
        }));
    }

    private static void visit(Content content, Set<Schema<?>> seen) {
        if (content != null) {
            content.values().forEach(media -> visit(media.getSchema(), seen));
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void visit(Schema schema, Set<Schema<?>> seen) {
        if (schema == null || !seen.add(schema)) {
            return;
        }
        if (schema.getPattern() != null && !isPortable(schema.getPattern())) {
            schema.setPattern(null);
        }
        if (schema.getProperties() != null) {
            ((Map<String, Schema>) schema.getProperties()).values().forEach(p -> visit(p, seen));
        }
        visit(schema.getItems(), seen);
        if (schema.getAdditionalProperties() instanceof Schema additional) {
            visit(additional, seen);
        }
        for (List<Schema> parts : new List[] {schema.getAllOf(), schema.getAnyOf(), schema.getOneOf()}) {
            if (parts != null) {
                parts.forEach(p -> visit(p, seen));
            }
        }
    }
}
