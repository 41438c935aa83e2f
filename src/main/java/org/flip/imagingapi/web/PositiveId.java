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
 * A subscription id as XNAT numbers them: a positive integer, held as text so that anything else is a
 * 422 (with the field named) before any XNAT call. The OpenAPI document publishes it as an int64 of at
 * least 1, the type of the {@code id} the service answers.
 */
@Pattern(regexp = Identifiers.POSITIVE_INTEGER, message = Identifiers.POSITIVE_INTEGER_MESSAGE)
@Constraint(validatedBy = {})
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PositiveId {

    String message() default Identifiers.POSITIVE_INTEGER_MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
