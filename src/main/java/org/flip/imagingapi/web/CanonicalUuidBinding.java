package org.flip.imagingapi.web;

import java.beans.PropertyEditorSupport;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Contract §1.4: a UUID in a path or query is canonical 8-4-4-4-12 hex, else a 422. Spring converts
 * with {@link UUID#fromString}, which takes {@code 1-1-1-1-1} (and a last group of 11 digits), and
 * falls back to its {@code UUIDEditor} when a stricter converter refuses: hence an editor. Bodies
 * hold hub ids as text checked against {@link Identifiers#UUID}.
 */
@ControllerAdvice
class CanonicalUuidBinding {

    private static final Pattern CANONICAL = Pattern.compile(Identifiers.UUID);

    @InitBinder
    void canonicalUuids(WebDataBinder binder) {
        binder.registerCustomEditor(UUID.class, new PropertyEditorSupport() {
            @Override
            public void setAsText(String text) {
                if (!CANONICAL.matcher(text).matches()) {
                    throw new IllegalArgumentException("not a canonical UUID");
                }
                setValue(UUID.fromString(text));
            }
        });
    }
}
