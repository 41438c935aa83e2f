package org.flip.imagingapi.xnat;

import java.util.Objects;

/**
 * What XNAT said to a create: it made the thing, or the identifier was already taken. The caller
 * decides what "taken" means (a race it can resume from, or the caller's 409).
 */
public record Creation<T>(T value) {

    public static <T> Creation<T> made(T value) {
        return new Creation<>(Objects.requireNonNull(value));
    }

    public static <T> Creation<T> taken() {
        return new Creation<>(null);
    }

    /** True when XNAT refused the create because the identifier exists. */
    public boolean isTaken() {
        return value == null;
    }
}
