package org.flip.imagingapi.xnat;

import java.util.List;
import java.util.Optional;
import org.flip.imagingapi.model.CommandInfo;

/**
 * One entry of XNAT's command registry as far as we need it. Any field may be missing: XNAT's
 * registry is filled by deployment scripts and a half-registered command must not crash a lookup.
 */
public record RegisteredCommand(Long id, String name, String image, List<Wrapper> wrappers) {

    public RegisteredCommand {
        wrappers = wrappers == null ? List.of() : List.copyOf(wrappers);
    }

    /** An XNAT command wrapper ({@code xnat[]} of the command JSON). */
    public record Wrapper(Long id, String name) {
    }

    /** The command with its first wrapper, when the command and that wrapper carry ids and a name. */
    public Optional<CommandInfo> usable() {
        if (id == null || wrappers.isEmpty()) {
            return Optional.empty();
        }
        Wrapper first = wrappers.get(0);
        if (first == null || first.id() == null || first.name() == null || first.name().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new CommandInfo(id, name, image, first.id(), first.name()));
    }
}
