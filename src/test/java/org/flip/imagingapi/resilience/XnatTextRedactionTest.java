package org.flip.imagingapi.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.flip.imagingapi.xnat.XnatBodies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15: XNAT's text reaches our logs and problem details. One redaction rule covers every form
 * of e-mail address, and the log copy stays on one line whatever XNAT wrote.
 */
class XnatTextRedactionTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jane.doe@hospital.example.org", "Jane.Doe+fl@Hospital.Example.ORG",
            "\"john doe\"@example.org", "\"john\\\"doe\"@example.org", "j\u00f6hn@ex\u00e4mple.org",
            "\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a", "john@[10.0.0.1]", "john@[IPv6:2001:db8::1]",
            "john%40example.org", "o'brien@example.org", "a!#$%&'*+/=?^_`{|}~-z@example.org"})
    void everyFormOfEmailIsRedactedInLogsAndDetails(String email) {
        String text = "User " + email + " could not be added; mailto:" + email + ". <b>" + email + "</b>";

        String redacted = XnatBodies.redact(text);
        String logged = XnatBodies.forLog(text.getBytes(StandardCharsets.UTF_8));
        String excerpt = XnatBodies.excerpt(text.getBytes(StandardCharsets.UTF_8));

        for (String out : new String[] {redacted, logged, excerpt}) {
            assertThat(out).doesNotContain("@").doesNotContain("%40").doesNotContain("ohn").doesNotContain("doe")
                    .doesNotContain("brien").doesNotContain("\u7528").startsWith("User ");
        }
        assertThat(redacted).isEqualTo("User <e-mail> could not be added; mailto:<e-mail>. <b><e-mail></b>");
    }

    @Test
    void textAroundAnEmailIsKept() {
        assertThat(XnatBodies.redact("Contact admin@example.org. Status: 500 @ 12:00, user@ (none), see a@b"))
                .isEqualTo("Contact <e-mail>. Status: 500 @ 12:00, user@ (none), see <e-mail>");
    }

    @Test
    void theLogCopyOfXnatTextIsOneLineWithControlCharactersEscaped() {
        String body = "Bad request\r\n2026-12-01T00:00:00.000Z ERROR 1 --- [main] forged\n\tat x\u001b[31mred"
                + "\u0000nul\u0085nel\u2028ls\u2029ps";

        String logged = XnatBodies.forLog(body.getBytes(StandardCharsets.UTF_8));

        assertThat(logged).isEqualTo("Bad request\\r\\n2026-12-01T00:00:00.000Z ERROR 1 --- [main] forged\\n\\tat x"
                + "\\u001b[31mred\\u0000nul\\u0085nel\\u2028ls\\u2029ps");
        assertThat(logged.chars().filter(Character::isISOControl)).isEmpty();
    }

    @Test
    void theExcerptForADetailHoldsNoControlCharacters() {
        String excerpt = XnatBodies.excerpt("a\u001b[31mb\u0000c\u0085d".getBytes(StandardCharsets.UTF_8));

        assertThat(excerpt.chars().filter(Character::isISOControl)).isEmpty();
    }

    /** The former rule backtracked over every start of a long run of address characters. */
    @Test
    void redactionIsLinearOnHostileText() {
        String run = "a".repeat(200_000);
        String ats = "a@".repeat(100_000);
        String quotes = "\"a".repeat(100_000);

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(XnatBodies.redact(run)).isEqualTo(run);
            assertThat(XnatBodies.redact(ats)).doesNotContain("a@a");
            assertThat(XnatBodies.redact(quotes)).isEqualTo(quotes);
        });
    }
}
