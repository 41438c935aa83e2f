package org.flip.imagingapi.config;

import jakarta.validation.constraints.NotBlank;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The shared per-trust key that callers present ({@code TRUST_INTERNAL_SERVICE_KEY}, in the header
 * {@code TRUST_INTERNAL_SERVICE_KEY_HEADER}), and the key it replaces while a rotation is under way
 * ({@code TRUST_INTERNAL_SERVICE_KEY_PREVIOUS}). An empty key means every protected route answers 401.
 *
 * <p>Contract §1.2: a configured key shorter than {@value #MIN_LENGTH} characters, or a known
 * placeholder, stops start-up. The check runs as the properties are bound and throws
 * {@link WeakServiceKeyException}, which {@link WeakServiceKeyFailureAnalyzer} reports as one line
 * that names the variable and never the value (Boot's own bind-failure report would print it).
 */
@Validated
@ConfigurationProperties("trust.internal-service")
public record InboundAuthProperties(
        @DefaultValue("") String key,
        @NotBlank(message = "TRUST_INTERNAL_SERVICE_KEY_HEADER must not be blank")
        @DefaultValue("X-Trust-Internal-Service-Key") String keyHeader,
        @DefaultValue("") String keyPrevious) {

    public static final int MIN_LENGTH = 32;

    /**
     * Words of the placeholders that deployment templates and tutorials ship ({@code CHANGE-ME},
     * {@code replace-me}, {@code your-secret-here}, ...), matched anywhere in the key once it is
     * lower-cased and stripped to letters and digits.
     */
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "changeme|changeit|replaceme|placeholder|yourkey|yoursecret|yourtoken|insertkey|keyhere|secrethere"
                    + "|example|fixme|dummy|redacted|xxxxxx");
    /** A key made of nothing but such words and digits ("secret-secret-...", "test-key-12345..."). */
    private static final Pattern ONLY_COMMON_WORDS = Pattern.compile(
            "(?:secret|password|passwd|pass|key|test|testing|demo|default|admin|token|sample|shared|trust"
                    + "|internal|service|imaging|api|flip|hub|xnat|prod|dev|local|[0-9])+");
    /** Random keys of 32+ characters use far more; "aaaa...", "abcabc..." and "12341234..." do not. */
    private static final int MIN_DISTINCT_CHARACTERS = 8;

    public InboundAuthProperties {
        key = key == null ? "" : key;
        keyPrevious = keyPrevious == null ? "" : keyPrevious;
        check("TRUST_INTERNAL_SERVICE_KEY", key);
        check("TRUST_INTERNAL_SERVICE_KEY_PREVIOUS", keyPrevious);
        if (key.isEmpty() && !keyPrevious.isEmpty()) {
            throw new WeakServiceKeyException("TRUST_INTERNAL_SERVICE_KEY_PREVIOUS is set but "
                    + "TRUST_INTERNAL_SERVICE_KEY is empty: a rotation needs the new key as TRUST_INTERNAL_SERVICE_KEY.");
        }
    }

    public boolean configured() {
        return !key.isEmpty();
    }

    /** Whether a previous key is accepted too (a rotation is under way). */
    public boolean rotating() {
        return !keyPrevious.isEmpty();
    }

    private static void check(String variable, String value) {
        if (value.isEmpty()) {
            return;
        }
        if (!value.equals(value.strip())) {
            throw new WeakServiceKeyException(variable + " starts or ends with whitespace (a newline from a "
                    + "secret file?); callers' headers never carry it, so every call would be refused.");
        }
        if (value.length() < MIN_LENGTH) {
            throw new WeakServiceKeyException(variable + " is " + value.length() + " characters long; it must "
                    + "be at least " + MIN_LENGTH + ".");
        }
        String letters = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (PLACEHOLDER.matcher(letters).find() || ONLY_COMMON_WORDS.matcher(letters).matches()
                || value.chars().distinct().count() < MIN_DISTINCT_CHARACTERS) {
            throw new WeakServiceKeyException(variable + " is a placeholder or a guessable value, not a key.");
        }
    }

    @Override
    public String toString() {
        return "InboundAuthProperties[key=<redacted>, keyHeader=" + keyHeader + ", keyPrevious=<redacted>]";
    }

    /** Start-up stops: the message names the variable and never carries its value. */
    public static class WeakServiceKeyException extends IllegalArgumentException {
        WeakServiceKeyException(String message) {
            super(message);
        }
    }
}
