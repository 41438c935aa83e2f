package org.flip.imagingapi.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * The service writes every member of an answer, null ones included ({@code
 * spring.jackson.default-property-inclusion: always}), so in the schemas only answers use, every
 * property is required; a member that can be null says so with {@code nullable} where it is declared.
 * Schemas that requests use keep the rules their validation gives them.
 */
final class AnswerSchemas {

    private static final String PREFIX = "#/components/schemas/";

    private AnswerSchemas() {
    }

    @SuppressWarnings("rawtypes")
    static void markEveryMemberRequired(OpenAPI openApi) {
        JsonNode document = Json.mapper().valueToTree(openApi);
        Set<String> answers = new HashSet<>();
        Set<String> requests = new HashSet<>();
        document.path("paths").forEach(item -> item.forEach(operation -> {
            collect(operation.path("responses"), answers);
            collect(operation.path("requestBody"), requests);
            collect(operation.path("parameters"), requests);
        }));
        closeOver(document.path("components").path("schemas"), answers);
        closeOver(document.path("components").path("schemas"), requests);
        answers.removeAll(requests);
        for (String name : answers) {
            Schema schema = openApi.getComponents().getSchemas().get(name);
            if (schema != null && schema.getProperties() != null && schema.getRequired() == null) {
                schema.setRequired(new ArrayList<String>(schema.getProperties().keySet()));
            }
        }
    }

    private static void closeOver(JsonNode schemas, Set<String> names) {
        Deque<String> todo = new ArrayDeque<>(names);
        while (!todo.isEmpty()) {
            Set<String> found = new HashSet<>();
            collect(schemas.path(todo.pop()), found);
            found.stream().filter(names::add).forEach(todo::push);
        }
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.has("$ref") && node.get("$ref").asText().startsWith(PREFIX)) {
            names.add(node.get("$ref").asText().substring(PREFIX.length()));
        }
        node.forEach(child -> collect(child, names));
    }
}
