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
import java.util.regex.Pattern;

/**
 * An e-mail address XNAT accepts (its {@code Patterns.EMAIL}, framework 1.8.x): a local part of
 * 1-64 of {@code A-Z a-z 0-9 ! # $ % & ' * + / = ? ^ _ ` { | } ~ - .}, not starting with a dot,
 * then {@code @} and a domain of ASCII letters, digits, dots and hyphens ending in a dot and two or
 * more letters. Bean Validation's {@code @Email} also takes quoted local parts
 * ({@code "john doe"@x.org}), non-ASCII and IP-literal addresses, which XNAT refuses half-way
 * through provisioning, on every replay (issue 15): they are a 422 here, before any XNAT call.
 */
@Documented
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = XnatEmail.Validator.class)
public @interface XnatEmail {

    /** Short: a validation answer repeats it for every invalid user. The rule itself is documented above. */
    String message() default "must be a plain ASCII e-mail address";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<XnatEmail, CharSequence> {

        private static final String MAILBOX = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
        private static final Pattern EMAIL = Pattern.compile(
                "[" + MAILBOX + "][." + MAILBOX + "]{0,63}@[A-Za-z0-9][A-Za-z0-9.-]*\\.[A-Za-z]{2,}");

        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            // Blank is @NotBlank's to report; 254 is the longest address SMTP carries.
            return value == null || value.isEmpty() || value.length() <= 254 && EMAIL.matcher(value).matches();
        }
    }
}
