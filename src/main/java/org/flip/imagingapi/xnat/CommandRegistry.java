package org.flip.imagingapi.xnat;

import java.util.List;

/**
 * The outcome of listing XNAT's whole command registry, which is done only to explain a failed
 * lookup: either the commands, or why they could not be listed.
 */
public sealed interface CommandRegistry {

    record Listed(List<RegisteredCommand> commands) implements CommandRegistry {
        public Listed {
            commands = List.copyOf(commands);
        }
    }

    /**
     * @param xnatStatus XNAT's HTTP status, 0 when XNAT did not answer
     * @param reason a short log-safe reason ("HTTP 403", "unexpected response body", a transport failure)
     */
    record Unlisted(int xnatStatus, String reason) implements CommandRegistry {
    }
}
