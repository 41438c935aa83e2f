package org.flip.imagingapi.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.flip.imagingapi.EmulatorFlowTest;
import org.flip.imagingapi.emulator.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * Issue 15's last leniency (contract §1.4): a JSON value of the wrong type is not coerced. A string
 * is no number or boolean ({@code "4"}, {@code "true"}), a number no boolean ({@code 0}, {@code 1})
 * and no text, a boolean no number or text. Each is a 400 naming the field, before any XNAT call.
 * The real caller (the hub, Python, forwarding its pydantic models' JSON) sends JSON types, so
 * nothing it sends is refused: the proper types still work.
 */
class ScalarCoercionTest extends EmulatorFlowTest {

    private static final String PREARCHIVE = "/projects/" + Seeds.NEURO + "/prearchive-code";
    private static final String PROVISION = "/projects/create-project-from-central-hub-project";

    private static String hubProject(String field, String value) {
        String body = "{\"project_id\":\"" + UUID.randomUUID() + "\",\"trust_id\":\"" + UUID.randomUUID()
                + "\",\"project_name\":\"Coercion\",\"users\":[{\"id\":\"" + UUID.randomUUID()
                + "\",\"email\":\"coercion@hospital.example.org\",\"is_disabled\":false}],\"dicom_to_nifti\":true}";
        return body.replaceFirst("\"" + field + "\":(\"[^\"]*\"|true|false)", "\"" + field + "\":" + value);
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("PUT", PREARCHIVE, "{\"code\":\"4\"}", "code"),
                Arguments.of("PUT", PREARCHIVE, "{\"code\":\" 4\"}", "code"),
                Arguments.of("PUT", PREARCHIVE, "{\"code\":true}", "code"),
                Arguments.of("PUT", "/users", "{\"email\":\"jane.smith@example.org\",\"enabled\":\"true\"}", "enabled"),
                Arguments.of("PUT", "/users", "{\"email\":\"jane.smith@example.org\",\"enabled\":\"false\"}", "enabled"),
                Arguments.of("PUT", "/users", "{\"email\":\"jane.smith@example.org\",\"enabled\":1}", "enabled"),
                Arguments.of("PUT", "/users", "{\"email\":\"jane.smith@example.org\",\"enabled\":0}", "enabled"),
                Arguments.of("PUT", "/users", "{\"email\":5,\"enabled\":true}", "email"),
                Arguments.of("POST", PROVISION, hubProject("dicom_to_nifti", "\"false\""), "dicom_to_nifti"),
                Arguments.of("POST", PROVISION, hubProject("dicom_to_nifti", "0"), "dicom_to_nifti"),
                Arguments.of("POST", PROVISION, hubProject("is_disabled", "\"true\""), "users[0].is_disabled"),
                Arguments.of("POST", PROVISION, hubProject("project_name", "42"), "project_name"),
                Arguments.of("POST", PROVISION, hubProject("project_name", "true"), "project_name"),
                Arguments.of("POST", PROVISION, hubProject("project_name", "4.5"), "project_name"),
                Arguments.of("POST", "/projects/" + Seeds.NEURO + "/event-subscriptions", "{\"active\":\"true\"}",
                        "active"),
                Arguments.of("POST", "/projects", "{\"id\":123,\"secondary_id\":\"S\",\"name\":\"N\"}", "id"),
                Arguments.of("POST", "/users", "{\"username\":\"coerce\",\"password\":\"pw-123456789\",\"email\":"
                        + "\"coerce@example.org\",\"firstName\":\"A\",\"lastName\":\"B\",\"enabled\":\"yes\"}", "enabled"));
    }

    private ResponseEntity<JsonNode> send(String method, String path, String body) {
        return rest.exchange(path, HttpMethod.valueOf(method), new HttpEntity<>(body, keyHeaders()), JsonNode.class);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("wrongTypes")
    void aValueOfTheWrongJsonTypeIsA400NamingTheFieldBeforeXnat(String method, String path, String body,
            String field) {
        xnat.resetCounters();

        ResponseEntity<JsonNode> response = send(method, path, body);

        String what = method + " " + path + " " + body + " -> " + response.getBody();
        assertThat(response.getStatusCode().value()).as(what).isEqualTo(400);
        assertThat(response.getBody().path("code").asText()).as(what).isEqualTo("malformed_request");
        assertThat(response.getBody().path("detail").asText()).as(what)
                .isEqualTo("The request body has a value of the wrong type at '" + field + "'.");
        assertThat(xnat.totalCalls()).as(what + ": XNAT calls " + xnat.callCounts()).isZero();
    }

    @Test
    void theJsonTypesTheHubSendsStillWork() {
        for (String code : List.of("4", "5", "4")) {
            assertThat(send("PUT", PREARCHIVE, "{\"code\":" + code + "}").getStatusCode().value()).isEqualTo(200);
        }
        assertThat(send("PUT", "/users", "{\"email\":\"jane.smith@example.org\",\"enabled\":true}")
                .getStatusCode().value()).isEqualTo(200);
        assertThat(send("POST", PROVISION, hubProject("dicom_to_nifti", "false")).getStatusCode().value())
                .isIn(200, 201);
        // null where a field is optional stays null (the default applies)
        assertThat(send("POST", PROVISION, hubProject("dicom_to_nifti", "null")).getStatusCode().value())
                .isIn(200, 201);
    }
}
