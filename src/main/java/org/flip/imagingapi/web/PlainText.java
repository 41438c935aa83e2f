package org.flip.imagingapi.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Contract §1.4: text without control characters (C0, DEL and C1; tab, CR and LF only where
 * {@link #lineBreaks()}), lone UTF-16 surrogates or U+FFFE/U+FFFF. None of them is XML 1.0 text
 * (XNAT stores projects and users as XML, and fails half-way through on them), and control
 * characters forge log lines. A validator rather than a {@code @Pattern}: the rule needs Java's
 * surrogate classes, which the published OpenAPI patterns must not use.
 */
@Documented
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = PlainText.Validator.class)
public @interface PlainText {

    String message() default "must not contain control characters, lone surrogates, U+FFFE or U+FFFF";

    /** Whether tab, CR and LF are allowed (free text such as a description). */
    boolean lineBreaks() default false;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<PlainText, CharSequence> {

        private boolean lineBreaks;

        @Override
        public void initialize(PlainText annotation) {
            lineBreaks = annotation.lineBreaks();
        }

        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            return value == null || isPlain(value, lineBreaks);
        }

        static boolean isPlain(CharSequence text, boolean lineBreaks) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                        return false;
                    }
                    i++;
                } else if (Character.isLowSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                    return false;
                } else if (Character.isISOControl(c) && !(lineBreaks && (c == '\t' || c == '\n' || c == '\r'))) {
                    return false;
                }
            }
            return true;
        }
    }
}
