package org.flip.imagingapi.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flip.imagingapi.web.Problems;
import org.junit.jupiter.api.Test;

/**
 * README's troubleshooting table quotes what the service really says: every problem code in a
 * row's symptom is one the service emits, and every detail it quotes is in the sources (the parts
 * between placeholders: "…", numbers and quoted values).
 */
class ReadmeTroubleshootingTest {

    private static final Pattern CODE = Pattern.compile("`([a-z]+(?:_[a-z]+)+)`");
    private static final Pattern QUOTED_DETAIL = Pattern.compile("detail \"([^\"]+)\"");
    /** Where a quoted detail has a variable part: "…", a number, a quoted value, a sentence break. */
    private static final Pattern PLACEHOLDER = Pattern.compile("…|\\b\\d+\\b|'[^']*'|\\.\\s");

    static List<String> symptoms() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## Troubleshooting XNAT-side failures");
        assertThat(start).isNotNegative();
        int end = readme.indexOf("\n## ", start + 10);
        List<String> symptoms = new ArrayList<>();
        for (String line : readme.substring(start, end).lines().toList()) {
            if (line.startsWith("| ") && !line.startsWith("| Symptom")) {
                symptoms.add(line.substring(2, line.indexOf(" | ")));
            }
        }
        return symptoms;
    }

    /** The main sources, with adjacent string literals joined ({@code "a " + "b"}) and quotes unescaped. */
    static String sources() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                try {
                    all.append(Files.readString(p)).append('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return all.toString().replaceAll("\"\\s*\\+\\s*\"", "").replace("\\\"", "\"");
    }

    @Test
    void everyCodeInASymptomIsOneTheServiceEmits() throws IOException {
        List<String> codes = new ArrayList<>();
        for (String symptom : symptoms()) {
            Matcher m = CODE.matcher(symptom);
            while (m.find()) {
                codes.add(m.group(1));
            }
        }
        assertThat(codes).contains("project_not_deleted", "site_wide_subscription", "xnat_service_account_rejected");
        assertThat(Problems.CODES).containsAll(codes);
    }

    @Test
    void everyQuotedDetailIsWhatTheServiceSays() throws IOException {
        String sources = sources();
        int quoted = 0;
        for (String symptom : symptoms()) {
            Matcher m = QUOTED_DETAIL.matcher(symptom);
            while (m.find()) {
                quoted++;
                for (String fragment : PLACEHOLDER.split(m.group(1))) {
                    String words = fragment.strip().replaceAll("^[\\s'(),:;.]+|[\\s'(),:;]+$", "");
                    if (words.length() >= 4) {
                        assertThat(sources).as("README quotes \"%s\" (in: %s)", words, symptom).contains(words);
                    }
                }
            }
        }
        assertThat(quoted).isGreaterThanOrEqualTo(8);
    }

    @Test
    void noRowDescribesAnXnat403OnTheCommandRegistry() throws IOException {
        // XNAT answers GET /xapi/commands with a (possibly empty) list, never 403 (xnat-rest-behaviour §7).
        assertThat(symptoms()).noneMatch(symptom -> symptom.contains("403") && symptom.contains("command"));
    }
}
