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
 * An experiment's XNAT ID or its label: 1-255 RFC 3986 unreserved characters, not '.' or '..'. A
 * violation is a 422 before any XNAT call; the OpenAPI document publishes the same pattern.
 */
@Pattern(regexp = Identifiers.EXPERIMENT, message = Identifiers.EXPERIMENT_MESSAGE)
@Constraint(validatedBy = {})
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ExperimentIdOrLabel {

    String message() default Identifiers.EXPERIMENT_MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
