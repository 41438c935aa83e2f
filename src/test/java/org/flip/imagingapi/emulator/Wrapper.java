package org.flip.imagingapi.emulator;

import java.util.List;

/** A Container Service command wrapper (the {@code xnat} array entries of a command). */
public record Wrapper(long id, String name, String description, List<String> contexts) {
    public Wrapper {
        contexts = contexts == null ? List.of() : List.copyOf(contexts);
    }
}
