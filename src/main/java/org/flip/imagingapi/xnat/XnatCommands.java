package org.flip.imagingapi.xnat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.flip.imagingapi.xnat.CommandRegistry;
import org.flip.imagingapi.xnat.RegisteredCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/** XNAT's Container Service command registry ({@code /xapi/commands}). */
@Component
public class XnatCommands {

    private static final Logger log = LoggerFactory.getLogger(XnatCommands.class);

    static final XnatOperation BY_IMAGE = XnatOperation.read("command fetch", "/xapi/commands?image={image}");

    /**
     * Only ever called to explain a failed lookup, so it must not hold the request up for long: it
     * runs inside the shortest configured budget (the login budget, 5 s by default; the reference
     * gave it 10 s) instead of the standard one.
     */
    static final XnatOperation ALL = new XnatOperation("command registry listing", HttpMethod.GET,
            "/xapi/commands", XnatOperation.Budget.LOGIN, true);

    private static final TypeReference<List<JsonNode>> ARRAY = new TypeReference<>() { };

    private final XnatGateway gateway;

    XnatCommands(XnatGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * The commands registered for exactly this image ({@code []} when none: XNAT answers 200).
     * XNAT checks no role here (xnat-rest-behaviour §7): it hides non-public commands from an
     * account without ContainerManager, so a missing role shows as {@code []}, never as a 403.
     */
    public List<RegisteredCommand> byImage(String image) {
        XnatResponse response = gateway.call(BY_IMAGE, image);
        List<JsonNode> nodes = gateway.read(response, ARRAY);
        List<RegisteredCommand> commands = new ArrayList<>();
        for (JsonNode node : nodes) {
            if (node != null && node.isObject()) {
                commands.add(toCommand(node));
            }
        }
        return commands;
    }

    /**
     * The whole registry, for diagnostics. Never throws: whatever goes wrong becomes
     * {@link CommandRegistry.Unlisted}, because the caller is already explaining another error.
     */
    public CommandRegistry registry() {
        XnatResponse response;
        try {
            response = gateway.call(ALL);
        } catch (XnatFailure e) {
            // With a status, only the status: the detail may quote an HTML error page.
            return new CommandRegistry.Unlisted(e.xnatStatus(),
                    e.xnatStatus() > 0 ? "HTTP " + e.xnatStatus() : e.detail());
        } catch (RuntimeException e) {
            log.warn("Listing XNAT's command registry failed", e);
            return new CommandRegistry.Unlisted(0, "an unexpected error");
        }
        if (!response.is2xx()) {
            // XNAT's error pages are HTML; they go to the log, never into the detail.
            log.warn("XNAT {} answered HTTP {}: {}", ALL.key(), response.status(), XnatBodies.forLog(response.body()));
            return new CommandRegistry.Unlisted(response.status(), "HTTP " + response.status());
        }
        JsonNode root;
        try {
            root = response.isHtml() ? null : gateway.objectMapper().readTree(response.body());
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isArray() || (!root.isEmpty() && !anyObject(root))) {
            log.warn("XNAT {} answered an unexpected body: {}", ALL.key(), XnatBodies.forLog(response.body()));
            return new CommandRegistry.Unlisted(response.status(), "unexpected response body");
        }
        List<RegisteredCommand> commands = new ArrayList<>();
        root.forEach(node -> {
            if (node.isObject()) {
                commands.add(toCommand(node));
            }
        });
        return new CommandRegistry.Listed(commands);
    }

    private static boolean anyObject(JsonNode array) {
        for (JsonNode node : array) {
            if (node.isObject()) {
                return true;
            }
        }
        return false;
    }

    private static RegisteredCommand toCommand(JsonNode node) {
        List<RegisteredCommand.Wrapper> wrappers = new ArrayList<>();
        JsonNode xnat = node.get("xnat");
        if (xnat != null && xnat.isArray()) {
            for (JsonNode wrapper : xnat) {
                wrappers.add(wrapper != null && wrapper.isObject()
                        ? new RegisteredCommand.Wrapper(number(wrapper.get("id")), text(wrapper.get("name")))
                        : new RegisteredCommand.Wrapper(null, null));
            }
        }
        return new RegisteredCommand(number(node.get("id")), text(node.get("name")), text(node.get("image")), wrappers);
    }

    static Long number(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isTextual() && node.asText().matches("\\d{1,18}")) {
            return Long.parseLong(node.asText());
        }
        return null;
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }
}
