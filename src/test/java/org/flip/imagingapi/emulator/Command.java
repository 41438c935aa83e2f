package org.flip.imagingapi.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * A Container Service command. Command ids and wrapper ids come from separate counters, as in XNAT.
 *
 * @param definition the command JSON as registered (extra fields are echoed back); may be null
 */
public record Command(long id, String name, String image, String version, List<Wrapper> wrappers,
                      ObjectNode definition) {
    /** Values of {@code visibility} ({@code CommandVisibility}); see {@link EmulatorState#setCommandVisibility}. */
    public static final String PUBLIC = "public";
    public static final String PROTECTED = "protected";
    public static final String PRIVATE = "private";

    public Command {
        wrappers = wrappers == null ? List.of() : List.copyOf(wrappers);
        definition = definition == null ? null : definition.deepCopy();
    }

    @Override
    public ObjectNode definition() {
        return definition == null ? null : definition.deepCopy();
    }

    public Optional<Wrapper> wrapperByName(String wrapperName) {
        return wrappers.stream().filter(w -> w.name().equals(wrapperName)).findFirst();
    }

    /** Ids of a command registered through {@link EmulatorState#addCommand(String, String, String)}. */
    public record Ids(long commandId, long wrapperId) {
    }
}
