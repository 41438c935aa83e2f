package org.flip.imagingapi.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * Names a rejected field as the caller wrote it: {@code project_name}, {@code users[0].email},
 * not the Java property path.
 */
final class JsonFieldNames {

    private JsonFieldNames() {
    }

    static String of(Class<?> root, String propertyPath) {
        StringBuilder json = new StringBuilder();
        Class<?> current = root;
        for (String segment : propertyPath.split("\\.")) {
            int bracket = segment.indexOf('[');
            String name = bracket < 0 ? segment : segment.substring(0, bracket);
            String index = bracket < 0 ? "" : segment.substring(bracket);
            Field field = current == null ? null : field(current, name);
            String external = name;
            if (field != null) {
                JsonProperty property = field.getAnnotation(JsonProperty.class);
                if (property == null && current.isRecord()) {
                    property = recordComponentAnnotation(current, name);
                }
                if (property != null && !property.value().isEmpty()) {
                    external = property.value();
                }
                current = index.isEmpty() ? field.getType() : elementType(field.getGenericType());
            } else {
                current = null;
            }
            if (!json.isEmpty()) {
                json.append('.');
            }
            json.append(external).append(index);
        }
        return json.toString();
    }

    private static Field field(Class<?> type, String name) {
        try {
            return type.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private static JsonProperty recordComponentAnnotation(Class<?> type, String name) {
        for (var component : type.getRecordComponents()) {
            if (component.getName().equals(name)) {
                return component.getAnnotation(JsonProperty.class);
            }
        }
        return null;
    }

    private static Class<?> elementType(Type type) {
        if (type instanceof ParameterizedType parameterized && parameterized.getActualTypeArguments().length == 1
                && parameterized.getActualTypeArguments()[0] instanceof Class<?> element) {
            return element;
        }
        return null;
    }
}
