package org.flip.imagingapi.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What {@code docker compose config} checks, without an engine or the compose CLI: the file's
 * interpolation is well-formed and refuses to run without its secrets, the interpolated model
 * validates against the Compose Specification's JSON schema (vendored in
 * src/test/resources/compose-spec/), and every service, volume and dependency it names exists.
 */
class ComposeFileTest {

    /** {@code $$}, {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}},
     * {@code ${NAME:?error}}, {@code ${NAME?error}}, {@code ${NAME:+alt}}, {@code ${NAME+alt}}. */
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$(?:(\\$)|([A-Za-z_][A-Za-z0-9_]*)|\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?})");
    private static final Set<String> SECRETS = Set.of("XNAT_ADMIN_PASSWORD", "XNAT_SERVICE_PASSWORD",
            "XNAT_DB_PASSWORD", "TRUST_INTERNAL_SERVICE_KEY", "AES_KEY_BASE64");

    @Test
    void theInterpolatedFileIsAValidComposeFile() throws IOException {
        Map<String, String> env = new HashMap<>();
        SECRETS.forEach(secret -> env.put(secret, "set-by-the-operator"));
        JsonNode model = new ObjectMapper().valueToTree(interpolate(load(), env));

        Set<ValidationMessage> errors = schema().validate(model);

        assertThat(errors).as("compose-spec validation").isEmpty();
        JsonNode services = model.get("services");
        Set<String> volumes = new TreeSet<>();
        model.path("volumes").fieldNames().forEachRemaining(volumes::add);
        services.fields().forEachRemaining(service -> {
            service.getValue().path("depends_on").fieldNames().forEachRemaining(dependency ->
                    assertThat(services.has(dependency)).as(service.getKey() + " depends on " + dependency).isTrue());
            for (JsonNode mount : service.getValue().path("volumes")) {
                String source = mount.asText().split(":")[0];
                if (!source.startsWith(".") && !source.startsWith("/")) {
                    assertThat(volumes).as(service.getKey() + " mounts " + source).contains(source);
                }
            }
        });
    }

    /** A mistake the schema would not see but compose would: a broken variable reference. */
    @Test
    void everyDollarInTheFileIsAWellFormedVariable() throws IOException {
        List<String> values = strings(load());

        assertThat(values).filteredOn(value -> value.contains("${")).hasSizeGreaterThan(10);
        assertThat(values).allSatisfy(value -> assertThat(VARIABLE.matcher(value).replaceAll("")).doesNotContain("$"));
    }

    @Test
    void composeRefusesToStartWithoutEachSecretAndNeedsNoOtherVariable() throws IOException {
        Map<String, Object> compose = load();
        Set<String> required = new TreeSet<>();
        for (String value : strings(compose)) {
            Matcher m = VARIABLE.matcher(value);
            while (m.find()) {
                if (m.group(3) != null && m.group(4) != null && m.group(4).endsWith("?")) {
                    required.add(m.group(3));
                }
            }
        }
        assertThat(required).isEqualTo(SECRETS);

        for (String missing : SECRETS) {
            Map<String, String> env = new HashMap<>();
            SECRETS.stream().filter(s -> !s.equals(missing)).forEach(s -> env.put(s, "x"));
            assertThatThrownBy(() -> interpolate(compose, env)).as(missing).hasMessageContaining(missing);
        }
    }

    private static Map<String, Object> load() throws IOException {
        try (Reader reader = Files.newBufferedReader(Path.of("docker-compose.yml"))) {
            // SnakeYAML resolves the merge keys (<<: *anchor) as compose does.
            @SuppressWarnings("unchecked")
            Map<String, Object> compose = (Map<String, Object>) new Yaml().load(reader);
            return compose;
        }
    }

    private static JsonSchema schema() throws IOException {
        try (InputStream in = ComposeFileTest.class.getResourceAsStream("/compose-spec/compose-spec.json")) {
            assertThat(in).as("the vendored compose-spec schema").isNotNull();
            ObjectNode schema = (ObjectNode) new ObjectMapper().readTree(in);
            // Its relative $id ("compose_spec.json") has no base to resolve against here; every $ref
            // in it is document-local, so the schema means the same without it.
            schema.remove("$id");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema);
        }
    }

    /** Every string of the model, keys included: what compose interpolates (comments are not). */
    private static List<String> strings(Object value) {
        List<String> all = new java.util.ArrayList<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                all.add(String.valueOf(k));
                all.addAll(strings(v));
            });
        } else if (value instanceof List<?> list) {
            list.forEach(v -> all.addAll(strings(v)));
        } else if (value instanceof String text) {
            all.add(text);
        }
        return all;
    }

    /** Compose's interpolation of every string in the model, with {@code env} as the environment. */
    @SuppressWarnings("unchecked")
    static Object interpolate(Object value, Map<String, String> env) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), interpolate(v, env)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> interpolate(v, env)).toList();
        }
        if (!(value instanceof String text)) {
            return value;
        }
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) != null) {
                replacement = "$";
            } else {
                String name = m.group(2) != null ? m.group(2) : m.group(3);
                String operator = m.group(4);
                String argument = m.group(5);
                String set = env.get(name);
                boolean unsetOrEmpty = set == null || set.isEmpty();
                boolean unset = set == null;
                if (operator == null) {
                    replacement = set == null ? "" : set;
                } else {
                    replacement = switch (operator) {
                        case ":-" -> unsetOrEmpty ? argument : set;
                        case "-" -> unset ? argument : set;
                        case ":+" -> unsetOrEmpty ? "" : argument;
                        case "+" -> unset ? "" : argument;
                        case ":?", "?" -> {
                            if (operator.equals(":?") ? unsetOrEmpty : unset) {
                                throw new IllegalStateException("required variable " + name + " is missing a value: "
                                        + argument);
                            }
                            yield set;
                        }
                        default -> throw new IllegalStateException(operator);
                    };
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
