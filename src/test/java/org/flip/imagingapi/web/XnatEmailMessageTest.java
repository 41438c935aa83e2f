package org.flip.imagingapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The e-mail rule's message is repeated once per invalid user in a validation answer: short and
 * plain, and the OpenAPI examples quote it as the service says it.
 */
class XnatEmailMessageTest {

    static String message() throws NoSuchMethodException {
        return (String) XnatEmail.class.getMethod("message").getDefaultValue();
    }

    @Test
    void theMessageIsShortAndPlain() throws Exception {
        assertThat(message()).startsWith("must be ").hasSizeLessThanOrEqualTo(60).doesNotContain("!", "#", "`", "{");
    }

    @Test
    void theOpenApiExamplesQuoteTheRealMessage() throws Exception {
        String operations = Files.readString(Path.of("src/main/resources/openapi/operations.yaml"));
        Matcher m = Pattern.compile("field: email, message: ([^}]+)}").matcher(operations);
        int examples = 0;
        while (m.find()) {
            examples++;
            assertThat(m.group(1).strip()).isEqualTo(message());
        }
        assertThat(examples).isPositive();
        assertThat(operations).doesNotContain("well-formed email address");
    }
}
