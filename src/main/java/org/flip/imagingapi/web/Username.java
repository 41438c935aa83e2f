package org.flip.imagingapi.web;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An XNAT username: XNAT's own rule (a letter first, at most 64 of A-Z a-z 0-9 _ ' . -). A violation
 * is a 422 before any XNAT call; the OpenAPI document publishes the same pattern.
 */
@Pattern(regexp = Identifiers.USERNAME, message = Identifiers.USERNAME_MESSAGE)
@Constraint(validatedBy = {})
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Username {

    String message() default Identifiers.USERNAME_MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
