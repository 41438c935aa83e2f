package org.flip.imagingapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Java-only regex syntax the document must not carry, recognised, and confirmed by the engines. */
class PortablePatternsTest {

    private static final List<String> JAVA_ONLY = List.of(
            "^[^<>&\\p{Cntrl}]*$",
            "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F\\p{Cs}\\x{FFFE}\\x{FFFF}]*$",
            "^a++$", "^(?>ab)$", "\\Aabc\\z", "^[a-z&&[^x]]$", "(?i)abc");

    @Test
    void javaOnlySyntaxIsRecognisedAndTheIdentifierRulesAreNot() {
        assertThat(JAVA_ONLY).noneMatch(PortablePatterns::isPortable);
        assertThat(List.of(Identifiers.PROJECT_ID, Identifiers.EXPERIMENT, Identifiers.USERNAME,
                Identifiers.POSITIVE_INTEGER, "^[^<>&\\x00-\\x1F\\x7F]*$", "^[^&<>\"/]*$",
                "^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,254}$", "^(?:a|b)(?=c)(?!d)(?<=e)(?<!f)$"))
                .allMatch(PortablePatterns::isPortable);
    }

    @Test
    void whatIsRecognisedAsJavaOnlyIsWhatAnEngineRejects() throws Exception {
        Map<String, Object> javaScript = RegexEngines.javaScript(JAVA_ONLY.subList(0, 2));
        Map<String, Object> python = RegexEngines.python(JAVA_ONLY.subList(0, 2));

        assertThat(javaScript.values()).allSatisfy(answer -> assertThat(answer).isInstanceOf(String.class));
        assertThat(python.values()).allSatisfy(answer -> assertThat(answer).asString().contains("bad escape"));
    }
}
