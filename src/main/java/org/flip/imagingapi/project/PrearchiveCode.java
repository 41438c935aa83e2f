package org.flip.imagingapi.project;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.NotNull;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * XNAT's prearchive code for a project: 0 keeps sessions in the prearchive, 4 archives them
 * without overwriting, 5 archives and overwrites. XNAT itself stores any integer (no range check),
 * so the rule is ours.
 */
@Schema(description = "A project's prearchive code")
public record PrearchiveCode(
        @JsonProperty("code") @NotNull @Allowed @Schema(allowableValues = {"0", "4", "5"}, example = "4")
        Integer code) {

    @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = AllowedValidator.class)
    @interface Allowed {
        String message() default "must be 0, 4 or 5";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    static final class AllowedValidator implements ConstraintValidator<Allowed, Integer> {
        @Override
        public boolean isValid(Integer value, ConstraintValidatorContext context) {
            return value == null || value == 0 || value == 4 || value == 5;
        }
    }
}
