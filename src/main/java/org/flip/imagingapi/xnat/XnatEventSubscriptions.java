package org.flip.imagingapi.xnat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flip.imagingapi.model.CommandInfo;
import org.flip.imagingapi.model.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * XNAT's project-level event service and the project enablement of command wrappers.
 *
 * <p>These are plugin endpoints: they answer a missing permission with a text 401 (not an expired
 * session; the gateway does not log in again for it), a subscription that fails validation with
 * 424, and, while XNAT's event service is disabled (its default), a 500 on the listing and 405 on
 * the other calls (xnat-rest-behaviour §8.2). Each becomes a failure whose detail says what to fix.
 * "No such project or subscription" comes back as a value.
 */
@Component
public class XnatEventSubscriptions {

    private static final Logger log = LoggerFactory.getLogger(XnatEventSubscriptions.class);

    static final XnatOperation ENABLE_WRAPPER = XnatOperation.set("enabling of the command wrapper for the project",
            HttpMethod.PUT, "/xapi/projects/{project}/commands/{command}/wrappers/{wrapper}/enabled");
    static final XnatOperation WRAPPER_ENABLED = XnatOperation.read("project enablement lookup of the command wrapper",
            "/xapi/projects/{project}/commands/{command}/wrappers/{wrapper}/enabled");
    static final XnatOperation LIST = XnatOperation.read("event subscription listing",
            "/xapi/projects/{project}/events/subscriptions");
    /** XNAT does not reject a second subscription with the same name: never replayed, looked up first. */
    static final XnatOperation CREATE = XnatOperation.create("event subscription creation",
            HttpMethod.POST, "/xapi/projects/{project}/events/subscription");
    static final XnatOperation ACTIVATE = XnatOperation.set("event subscription activation",
            HttpMethod.POST, "/xapi/projects/{project}/events/subscription/{id}/activate");
    static final XnatOperation DEACTIVATE = XnatOperation.set("event subscription deactivation",
            HttpMethod.POST, "/xapi/projects/{project}/events/subscription/{id}/deactivate");
    static final XnatOperation DELETE = XnatOperation.set("event subscription deletion",
            HttpMethod.DELETE, "/xapi/projects/{project}/events/subscription/{id}");

    static final XnatOperation PREFS = XnatOperation.read("event service settings lookup", "/xapi/events/prefs");
    private static final TypeReference<List<JsonNode>> ARRAY = new TypeReference<>() { };

    public static final String EVENT_TYPE = "org.nrg.xnat.eventservice.events.ScanEvent";
    public static final String STATUS = "CREATED";
    /** A JsonPath predicate (XNAT wraps it in {@code $[?(...)]}): scans that carry a DICOM resource. */
    public static final String PAYLOAD_FILTER = "(@.resources.length() > 0 && \"DICOM\" in @.resources[*].label)";
    /**
     * The Container Service parses the suffix as a command-<em>wrapper</em> id. The reference put the
     * command id there, which works only while both ids happen to be equal.
     */
    static final String ACTION_PROVIDER = "org.nrg.containers.services.CommandActionProvider:";

    public static String actionKeyFor(CommandInfo command) {
        return ACTION_PROVIDER + command.wrapperId();
    }

    /** A project-scoped subscription that runs the command on every new scan with DICOM files. */
    public static Subscription dicomScanDraft(String projectId, String name, CommandInfo command, boolean active) {
        return new Subscription(null, name, active, projectId, actionKeyFor(command), EVENT_TYPE, STATUS,
                PAYLOAD_FILTER);
    }

    private final XnatGateway gateway;

    XnatEventSubscriptions(XnatGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * Enables the command's wrapper for the project; XNAT validates a subscription's action against
     * it. False when XNAT knows no such project (or the wrapper is no longer registered).
     */
    public boolean enableWrapper(String projectId, CommandInfo command) {
        XnatResponse response = gateway.call(ENABLE_WRAPPER, projectId, command.commandId(), command.wrapperName());
        if (response.is2xx() && !response.isHtml()) {
            return true;
        }
        logBody(response);
        if (response.status() == 404) {
            return false;
        }
        String step = "Enabling command wrapper '" + command.wrapperName() + "' (command " + command.commandId()
                + ") for project '" + projectId + "'";
        if (response.status() == 401 || response.status() == 403) {
            throw XnatFailure.rejected(step + " failed: XNAT refused it (" + response.status()
                    + "): the service account lacks permission (it must own the project or hold the "
                    + "ContainerManager role) - " + XnatBodies.excerpt(response.body()), response.status());
        }
        throw stepFailure(step, response);
    }

    /**
     * XNAT's {@code ProjectEnabledReport} for a wrapper: {@code project} is what XNAT calls
     * "enabled-for-project", which is false whenever the wrapper is disabled site-wide, whatever the
     * project's own setting (Container Service {@code ContainerConfigServiceImpl.isEnabledForProject}).
     */
    public record WrapperEnablement(boolean site, boolean project) {
    }

    /**
     * Whether the command's wrapper runs in the project; empty when XNAT knows no such project (or
     * the wrapper is no longer registered). XNAT needs edit access to the project for it.
     */
    public Optional<WrapperEnablement> wrapperEnablement(String projectId, CommandInfo command) {
        XnatResponse response = gateway.call(WRAPPER_ENABLED, projectId, command.commandId(), command.wrapperName());
        if (response.status() == 404) {
            logBody(response);
            return Optional.empty();
        }
        if (!response.is2xx()) {
            logBody(response);
            String step = "Reading whether command wrapper '" + command.wrapperName() + "' is enabled for project '"
                    + projectId + "'";
            if (response.status() == 401 || response.status() == 403) {
                throw XnatFailure.rejected(step + " failed: XNAT refused it (" + response.status()
                        + "): the service account needs edit access to the project - "
                        + XnatBodies.excerpt(response.body()), response.status());
            }
            throw stepFailure(step, response);
        }
        JsonNode report = gateway.read(response, new TypeReference<JsonNode>() { });
        JsonNode site = report == null ? null : report.get("enabled-for-site");
        JsonNode project = report == null ? null : report.get("enabled-for-project");
        if (site == null || !site.isBoolean() || project == null || !project.isBoolean()) {
            throw XnatFailure.unusable("XNAT " + WRAPPER_ENABLED.description() + " answered JSON without the "
                    + "enabled-for-site and enabled-for-project flags (HTTP " + response.status() + ")",
                    response.status());
        }
        return Optional.of(new WrapperEnablement(site.booleanValue(), project.booleanValue()));
    }

    /**
     * The project's subscriptions as XNAT lists them, site-wide ones included (with a null
     * project id); empty when XNAT does not know the project.
     */
    public Optional<List<Subscription>> list(String projectId) {
        XnatResponse response = gateway.call(LIST, projectId);
        if (response.status() == 404) {
            logBody(response);
            return Optional.empty();
        }
        if (!response.is2xx()) {
            String step = "Listing the event subscriptions of project '" + projectId + "'";
            if (response.status() == 500 && eventServiceDisabled(response)) {
                logBody(response);
                throw disabled(step, response);
            }
            throw commonFailure(step, projectId, response);
        }
        List<Subscription> subscriptions = new ArrayList<>();
        for (JsonNode node : gateway.read(response, ARRAY)) {
            if (node != null && node.isObject()) {
                subscriptions.add(toSubscription(node, projectId));
            }
        }
        return Optional.of(subscriptions);
    }

    /**
     * Creates the subscription and returns its id, or {@code null} when XNAT's answer does not
     * carry one (the caller then finds it by listing). XNAT answers 201 with the text
     * {@code "<name>:<id>"}, not JSON.
     */
    public Long create(String projectId, Subscription draft, CommandInfo command) {
        XnatResponse response = gateway.call(CREATE, gateway.json(wireBody(projectId, draft)), projectId);
        // A login page on a 200 (a proxy or SSO in front of XNAT) means nothing was created.
        if (response.is2xx() && !response.isHtml()) {
            return idFromCreated(response.text());
        }
        String step = "Creating event subscription for project '" + projectId + "'";
        if (response.status() == 424) {
            logBody(response);
            throw XnatFailure.rejected("XNAT refused the subscription (424): the "
                    + (command.commandName() == null ? "command " + command.commandId() : command.commandName())
                    + " wrapper '" + command.wrapperName() + "' is not enabled site-wide or for project '"
                    + projectId + "', or XNAT could not validate the event filter - "
                    + XnatBodies.excerpt(response.body()), 424);
        }
        throw commonFailure(step, projectId, response);
    }

    /** Activates or deactivates the subscription; false when XNAT knows no such subscription. */
    public boolean setActive(String projectId, long id, boolean active) {
        XnatResponse response = gateway.call(active ? ACTIVATE : DEACTIVATE, projectId, id);
        if (response.status() == 404) {
            logBody(response);
            return false;
        }
        if (!response.is2xx() || response.isHtml()) {
            throw commonFailure((active ? "Activating" : "Deactivating") + " event subscription " + id
                    + " of project '" + projectId + "'", projectId, response);
        }
        return true;
    }

    /** Deletes the subscription; false when XNAT knows no such subscription. */
    public boolean delete(String projectId, long id) {
        XnatResponse response = gateway.call(DELETE, projectId, id);
        if (response.status() == 404) {
            logBody(response);
            return false;
        }
        if (!response.is2xx() || response.isHtml()) {
            throw commonFailure("Deleting event subscription " + id + " of project '" + projectId + "'",
                    projectId, response);
        }
        return true;
    }

    static Map<String, Object> wireBody(String projectId, Subscription draft) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("event-type", draft.eventType());
        filter.put("status", draft.status());
        filter.put("project-ids", List.of(projectId));
        filter.put("payload-filter", draft.payloadFilter());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", draft.name());
        // XNAT's save fails with 424 when "active" is missing, so it is always sent.
        body.put("active", draft.active());
        body.put("action-key", draft.actionKey());
        body.put("attributes", Map.of());
        body.put("event-filter", filter);
        // Ignored by the project-level creator (forced false), sent so the intent is on the wire:
        // the container runs as the subscription owner, our service account.
        body.put("act-as-event-user", false);
        return body;
    }

    static Long idFromCreated(String text) {
        String body = text == null ? "" : text.strip();
        int colon = body.lastIndexOf(':');
        String tail = colon < 0 ? body : body.substring(colon + 1).strip();
        return tail.matches("[1-9]\\d{0,17}") ? Long.valueOf(tail) : null;
    }

    /** A subscription whose filter names no project is site-wide: XNAT lists it under every project. */
    private static Subscription toSubscription(JsonNode node, String projectId) {
        JsonNode filter = node.path("event-filter");
        JsonNode active = node.get("active");
        JsonNode projects = filter.get("project-ids");
        boolean siteWide = projects == null || projects.isNull() || (projects.isArray() && projects.isEmpty());
        return new Subscription(XnatCommands.number(node.get("id")), XnatCommands.text(node.get("name")),
                active != null && active.asBoolean(false), siteWide ? null : projectId,
                XnatCommands.text(node.get("action-key")), XnatCommands.text(filter.get("event-type")),
                XnatCommands.text(filter.get("status")), XnatCommands.text(filter.get("payload-filter")));
    }

    /**
     * The listing's answer while the event service is disabled: a 500 whose text ends in ": null"
     * (XNAT's controller advice over a null). Not replayed by the retry policy: it is diagnosed at once.
     */
    static boolean isDisabledServiceListing(XnatResponse response) {
        return response.status() == 500 && LIST.equals(response.operation()) && response.body() != null
                && response.body().length < 1_000 && response.text().strip().endsWith(": null");
    }

    /**
     * While disabled, XNAT's listing streams over a null and answers 500 "There was an error in
     * the request : null". The settings say for sure; the body is the fallback when they cannot
     * be read.
     */
    private boolean eventServiceDisabled(XnatResponse listing) {
        try {
            XnatResponse prefs = gateway.call(PREFS);
            if (prefs.is2xx() && !prefs.isHtml()) {
                JsonNode enabled = gateway.objectMapper().readTree(prefs.body()).get("enabled");
                if (enabled != null && enabled.isBoolean()) {
                    return !enabled.booleanValue();
                }
            }
        } catch (IOException | RuntimeException e) {
            log.info("Could not read XNAT's event service settings: {}", e.getMessage());
        }
        return listing.text().strip().endsWith(": null");
    }

    private static XnatFailure disabled(String step, XnatResponse response) {
        return XnatFailure.rejected(step + " failed: XNAT's event service is disabled (HTTP " + response.status()
                + "). An XNAT administrator enables it with PUT /xapi/events/prefs {\"enabled\": true} "
                + "(or in XNAT's Administer > Event Service page); provisioning then completes on the next attempt.",
                response.status());
    }

    /** The statuses every project-level event-service endpoint may answer. */
    private static XnatFailure commonFailure(String step, String projectId, XnatResponse response) {
        logBody(response);
        String excerpt = XnatBodies.excerpt(response.body());
        return switch (response.status()) {
            case 401, 403 -> XnatFailure.rejected(step + " failed: XNAT refused it ("
                    + response.status() + "): the service account lacks permission (it must own project '"
                    + projectId + "' or be a site administrator) - " + excerpt, response.status());
            case 405 -> disabled(step, response);
            default -> stepFailure(step, response);
        };
    }

    private static XnatFailure stepFailure(String step, XnatResponse response) {
        return XnatFailure.rejected(step + " failed: XNAT answered HTTP " + response.status() + " - "
                + XnatBodies.excerpt(response.body()), response.status());
    }

    private static void logBody(XnatResponse response) {
        log.warn("XNAT {} answered HTTP {}: {}", response.operation().key(), response.status(),
                XnatBodies.forLog(response.body()));
    }
}
