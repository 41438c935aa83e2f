package org.flip.imagingapi.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The long descriptions and the examples of the operations, kept in {@code openapi/operations.yaml}
 * so that the controllers read as code. Each entry, keyed by operationId, is merged into that operation
 * as it stands (objects member by member; a {@code schema} or an example {@code value} whole, as is
 * anything that is not an object); its {@code parameters} entry names
 * example values of the operation's parameters. The file's {@code components.schemas} are added to the
 * document's (answers typed as maps in Java: health, an experiment's subject).
 */
@Component
class OpenApiOperationDocs {

    static final String RESOURCE = "openapi/operations.yaml";

    private final JsonNode docs;

    OpenApiOperationDocs() {
        try (InputStream in = new ClassPathResource(RESOURCE).getInputStream()) {
            docs = Yaml.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    void apply(OpenAPI openApi) {
        docs.path("components").path("schemas").fields().forEachRemaining(schema ->
                openApi.getComponents().addSchemas(schema.getKey(), convert(schema.getValue(), Schema.class)));
        JsonNode operations = docs.path("operations");
        Set<String> applied = new HashSet<>();
        openApi.getPaths().values().forEach(item -> item.readOperationsMap().forEach((method, operation) -> {
            // springdoc numbers the ids of a method mapped to several paths; each path gets the docs.
            String id = operation.getOperationId().replaceFirst("_\\d+$", "");
            JsonNode doc = operations.get(id);
            if (doc != null) {
                item.operation(method, merged(operation, doc));
                applied.add(id);
            }
        }));
        Set<String> unknown = new HashSet<>();
        operations.fieldNames().forEachRemaining(unknown::add);
        unknown.removeAll(applied);
        if (!unknown.isEmpty()) {
            throw new IllegalStateException(RESOURCE + " documents operations the API does not have: " + unknown);
        }
    }

    private static Operation merged(Operation operation, JsonNode doc) {
        ObjectNode tree = Json.mapper().valueToTree(operation);
        ObjectNode overlay = doc.deepCopy();
        JsonNode examples = overlay.remove("parameters");
        merge(tree, overlay);
        Operation result = convert(tree, Operation.class);
        if (examples != null && result.getParameters() != null) {
            result.getParameters().forEach(parameter -> {
                JsonNode example = examples.get(parameter.getName());
                if (example != null) {
                    parameter.setExample(convert(example, Object.class));
                }
            });
        }
        return result;
    }

    private static void merge(ObjectNode target, JsonNode overlay) {
        Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = target.get(field.getKey());
            boolean whole = field.getKey().equals("schema") || field.getKey().equals("value");
            if (!whole && existing instanceof ObjectNode object && field.getValue().isObject()) {
                merge(object, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    private static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return Json.mapper().treeToValue(node, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}
