package org.flip.imagingapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link Problems#CODES}, which the OpenAPI document publishes as the enum of {@code Problem.code},
 * is the set of codes the sources emit: every code written beside its status ({@code HttpStatus.X,
 * "code"}), given to a caller's-deadline answer ({@code CallerDeadline.Late("code", ...)}) or chosen in
 * {@code Problems.codeFor} is listed, and every listed code is emitted somewhere.
 */
class ProblemCodesTest {

    /** A status followed by the code, as every problem of the service is built. */
    private static final Pattern STATUS_THEN_CODE = Pattern.compile(
            "(?:HttpStatus\\.[A-Z_]+,|CallerDeadline\\.Late\\()\\s*\"([a-z]+(?:_[a-z]+)*)\"");
    /** The codes Problems.codeFor and the advice choose by status. */
    private static final Pattern CHOSEN_CODE = Pattern.compile("(?:->|\\?|:)\\s*\"([a-z_]+)\"");

    private static String sources() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.getFileName().toString().startsWith("OpenApi")).toList()) {
                all.append(Files.readString(file)).append('\n');
            }
        }
        return all.toString();
    }

    @Test
    void everyCodeTheSourcesEmitIsListed() throws IOException {
        String sources = sources();
        Set<String> emitted = new TreeSet<>();
        Matcher status = STATUS_THEN_CODE.matcher(sources);
        while (status.find()) {
            emitted.add(status.group(1));
        }
        String codeFor = Files.readString(Path.of("src/main/java/org/flip/imagingapi/web/Problems.java"));
        codeFor = codeFor.substring(codeFor.indexOf("static String codeFor"),
                codeFor.indexOf("static String detailFor"));
        Matcher chosen = CHOSEN_CODE.matcher(codeFor);
        while (chosen.find()) {
            emitted.add(chosen.group(1));
        }

        assertThat(emitted).contains("not_found", "xnat_timeout", "provisioning_deadline", "deletion_deadline",
                "bad_request");
        assertThat(Problems.CODES).containsAll(emitted);
    }

    @Test
    void everyListedCodeIsEmittedSomewhere() throws IOException {
        String withoutTheList = sources().replaceFirst("(?s)public static final Set<String> CODES = .*?\\)\\)\\);", "");

        for (String code : Problems.CODES) {
            assertThat(withoutTheList).as(code).contains("\"" + code + "\"");
        }
    }
}
