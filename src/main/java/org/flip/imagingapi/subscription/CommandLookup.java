package org.flip.imagingapi.subscription;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.flip.imagingapi.config.ProvisioningProperties;
import org.flip.imagingapi.model.CommandInfo;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.xnat.CommandRegistry;
import org.flip.imagingapi.xnat.RegisteredCommand;
import org.flip.imagingapi.xnat.XnatCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Finds the XNAT command registered for exactly the configured container image. On a miss it
 * lists the whole registry once to say why (the reference's FLIP#1093 diagnostics): what is
 * registered, an empty registry, or why the registry could not be listed. That diagnostic call
 * never replaces the miss itself, and the detail stays under 950 characters because the hub shows
 * only the first 1000 characters of a relayed error.
 */
@Service
public class CommandLookup {

    private static final Logger log = LoggerFactory.getLogger(CommandLookup.class);
    static final int DETAIL_BUDGET = 940;

    private final XnatCommands commands;
    private final ProvisioningProperties properties;

    public CommandLookup(XnatCommands commands, ProvisioningProperties properties) {
        this.commands = commands;
        this.properties = properties;
    }

    /** The configured {@code DCM2NIIX_IMAGE}, used when a caller names no image. */
    public String defaultImage() {
        return properties.dcm2niixImage();
    }

    /** The command and wrapper for {@code image} ({@code null}: the configured image); 404 with a diagnosis. */
    public CommandInfo find(String image) {
        String wanted = image == null ? defaultImage() : image;
        List<RegisteredCommand> matches = commands.byImage(wanted);
        for (RegisteredCommand command : matches) {
            // XNAT's filter is exact already; the check keeps a lenient XNAT from handing us another image.
            if (command.image() == null || command.image().equals(wanted)) {
                var usable = command.usable();
                if (usable.isPresent()) {
                    return usable.get();
                }
            }
        }
        if (!matches.isEmpty()) {
            log.warn("XNAT's command for image '{}' carries no usable 'xnat' wrapper: {}", wanted, matches);
            throw ProblemException.notFound(bounded("The XNAT command " + quote(matches.get(0).name())
                    + " matches image " + quote(wanted) + " but carries no 'xnat' wrapper with an id and a name, "
                    + "so no subscription can run it. Register the command again from deploy/dcm2niix-command.json "
                    + "(deploy/xnat-bootstrap.sh does), and check with GET /xapi/commands?image=... that the entry "
                    + "has a wrapper with an id and a name."));
        }
        throw ProblemException.notFound(diagnoseMiss(wanted, commands.registry()));
    }

    static String diagnoseMiss(String image, CommandRegistry registry) {
        String head = "No commands found for container " + quote(image) + " on this XNAT. ";
        if (registry instanceof CommandRegistry.Unlisted unlisted) {
            return bounded(head + "The command registry could not be listed either (" + clean(unlisted.reason())
                    + "); this says nothing about the Container Service itself. " + remedy(unlisted.xnatStatus()));
        }
        List<RegisteredCommand> all = ((CommandRegistry.Listed) registry).commands();
        if (all.isEmpty()) {
            return bounded(head + "The command registry lists nothing to the service account: either no command "
                    + "is registered on this XNAT (register it with deploy/xnat-bootstrap.sh), or the commands are "
                    + "not public and the service account lacks XNAT's ContainerManager role (XNAT hides non-public "
                    + "commands from accounts without it; an XNAT administrator grants it under Administer > Users). "
                    + "A missing Container Service plugin is the least likely cause.");
        }
        List<RegisteredCommand> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing((RegisteredCommand c) -> Objects.toString(c.name(), ""))
                .thenComparing(c -> Objects.toString(c.image(), "")));
        log.warn("No XNAT command for image '{}'; the registry holds {} command(s): {}", image, sorted.size(),
                sorted.stream().map(CommandLookup::pair).toList());
        List<RegisteredCommand> exact = sorted.stream().filter(c -> image.equals(c.image())).toList();
        if (!exact.isEmpty()) {
            // The exact pairs go first so that they survive the trimming.
            List<RegisteredCommand> ordered = new ArrayList<>(exact);
            sorted.stream().filter(c -> !image.equals(c.image())).forEach(ordered::add);
            return fit(head + "Yet that exact image is registered: ", ordered,
                    ". The lookup is at fault, not the registration: check the image's case and encoding, a digest "
                            + "in the image, or a command without a wrapper.");
        }
        return fit(head + "The Container Service is installed and has " + sorted.size() + " command(s) registered: ",
                sorted, ". If one of those is the same tool on an older image, this XNAT's registration predates the "
                        + "current pin: register the command at exactly DCM2NIIX_IMAGE (deploy/xnat-bootstrap.sh does) "
                        + "or set DCM2NIIX_IMAGE to the registered image. A command that is not public is hidden from a "
                        + "service account without XNAT's ContainerManager role.");
    }

    private static String remedy(int status) {
        return switch (status) {
            case 401 -> "XNAT did not accept the service account: check XNAT_SERVICE_USER and XNAT_SERVICE_PASSWORD.";
            default -> "Check the service account (XNAT_SERVICE_USER, XNAT_SERVICE_PASSWORD) and that XNAT is "
                    + "reachable.";
        };
    }

    /**
     * Appends pairs one by one while the whole rendered message fits; the rest become ", and K more".
     */
    private static String fit(String lead, List<RegisteredCommand> pairs, String tail) {
        StringBuilder listed = new StringBuilder();
        int shown = 0;
        for (RegisteredCommand command : pairs) {
            String next = (shown == 0 ? "" : ", ") + pair(command);
            int rest = pairs.size() - shown - 1;
            String candidate = lead + listed + next + (rest > 0 ? ", and " + rest + " more" : "") + tail;
            if (candidate.length() > DETAIL_BUDGET) {
                break;
            }
            listed.append(next);
            shown++;
        }
        if (shown == 0) {
            return bounded(lead + pairs.size() + " command(s), too long to list here - see the imaging-api log"
                    + tail);
        }
        int rest = pairs.size() - shown;
        return lead + listed + (rest > 0 ? ", and " + rest + " more" : "") + tail;
    }

    private static String pair(RegisteredCommand command) {
        return quote(command.name()) + " -> " + quote(command.image());
    }

    private static String quote(String value) {
        return value == null ? "(none)" : "'" + clean(value) + "'";
    }

    /** Registry values come from XNAT: no control characters in our detail. */
    private static String clean(String value) {
        return value.replaceAll("\\p{Cntrl}", "?");
    }

    private static String bounded(String detail) {
        return detail.length() <= DETAIL_BUDGET ? detail : detail.substring(0, DETAIL_BUDGET - 1) + "…";
    }
}
