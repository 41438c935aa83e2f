package org.flip.imagingapi.xnat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flip.imagingapi.model.CommandInfo;
import org.flip.imagingapi.model.Subscription;
import org.flip.imagingapi.web.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * XNAT's project-level event service and the project enablement of command wrappers.
 *
 * <p>These are plugin endpoints: they answer a missing permission with a text 401 (not an expired
 * session; the gateway does not log in again for it) and a subscription that fails validation
 * with 424. Both become 502 details that say what to fix.
 */
@Component
public class XnatEventSubscriptions {

    private static final Logger log = LoggerFactory.getLogger(XnatEventSubscriptions.class);

    static final XnatOperation ENABLE_WRAPPER = XnatOperation.set("enabling of the command wrapper for the project",
            HttpMethod.PUT, "/xapi/projects/{project}/commands/{command}/wrappers/{wrapper}/enabled");
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

    /** Enables the command's wrapper for the project; XNAT validates a subscription's action against it. */
    public void enableWrapper(String projectId, CommandInfo command) {
        XnatResponse response = gateway.call(ENABLE_WRAPPER, projectId, command.commandId(), command.wrapperName());
        if (response.is2xx() && !response.isHtml()) {
            return;
        }
        String step = "Enabling command wrapper '" + command.wrapperName() + "' (command " + command.commandId()
                + ") for project '" + projectId + "'";
        logBody(response);
        switch (response.status()) {
            case 404 -> throw ProblemException.notFound(step + " failed: XNAT has no such project (or the wrapper "
                    + "is no longer registered) - " + XnatBodies.excerpt(response.body()));
            case 401, 403 -> throw XnatFailure.badGateway(step + " failed: XNAT refused it (" + response.status()
                    + "): the service account lacks permission (it must own the project or hold the "
                    + "ContainerManager role) - " + XnatBodies.excerpt(response.body()), response.status());
            default -> throw stepFailure(step, response);
        }
    }

    /** The project's subscriptions, as XNAT lists them. */
    public List<Subscription> list(String projectId) {
        XnatResponse response = gateway.call(LIST, projectId);
        if (!response.is2xx()) {
            throw commonFailure("Listing the event subscriptions of project '" + projectId + "'", projectId, response);
        }
        List<Subscription> subscriptions = new ArrayList<>();
        for (JsonNode node : gateway.read(response, ARRAY)) {
            if (node != null && node.isObject()) {
                subscriptions.add(toSubscription(node, projectId));
            }
        }
        return subscriptions;
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
            throw XnatFailure.badGateway("XNAT refused the subscription (424): the "
                    + (command.commandName() == null ? "command " + command.commandId() : command.commandName())
                    + " wrapper '" + command.wrapperName() + "' is not enabled site-wide or for project '"
                    + projectId + "', or XNAT could not validate the event filter - "
                    + XnatBodies.excerpt(response.body()), 424);
        }
        throw commonFailure(step, projectId, response);
    }

    public void setActive(String projectId, long id, boolean active) {
        XnatResponse response = gateway.call(active ? ACTIVATE : DEACTIVATE, projectId, id);
        if (!response.is2xx() || response.isHtml()) {
            throw commonFailure((active ? "Activating" : "Deactivating") + " event subscription " + id
                    + " of project '" + projectId + "'", projectId, response);
        }
    }

    /** Deletes the subscription; an unknown id is our 404. */
    public void delete(String projectId, long id) {
        XnatResponse response = gateway.call(DELETE, projectId, id);
        if (!response.is2xx() || response.isHtml()) {
            throw commonFailure("Deleting event subscription " + id + " of project '" + projectId + "'",
                    projectId, response);
        }
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

    private static Subscription toSubscription(JsonNode node, String projectId) {
        JsonNode filter = node.path("event-filter");
        JsonNode active = node.get("active");
        return new Subscription(XnatCommands.number(node.get("id")), XnatCommands.text(node.get("name")),
                active != null && active.asBoolean(false), projectId, XnatCommands.text(node.get("action-key")),
                XnatCommands.text(filter.get("event-type")), XnatCommands.text(filter.get("status")),
                XnatCommands.text(filter.get("payload-filter")));
    }

    /** The statuses every project-level event-service endpoint may answer. */
    private static ProblemException commonFailure(String step, String projectId, XnatResponse response) {
        logBody(response);
        String excerpt = XnatBodies.excerpt(response.body());
        return switch (response.status()) {
            case 404 -> ProblemException.notFound(step + " failed: XNAT has no such project "
                    + "or subscription - " + excerpt);
            case 401, 403 -> XnatFailure.badGateway(step + " failed: XNAT refused it ("
                    + response.status() + "): the service account lacks permission (it must own project '"
                    + projectId + "' or be a site administrator) - " + excerpt, response.status());
            case 405 -> XnatFailure.badGateway(step + " failed: XNAT's event service is "
                    + "disabled (405); an administrator enables it with PUT /xapi/events/prefs {\"enabled\": true} - "
                    + excerpt, 405);
            default -> stepFailure(step, response);
        };
    }

    private static XnatFailure stepFailure(String step, XnatResponse response) {
        return XnatFailure.badGateway(step + " failed: XNAT answered HTTP " + response.status() + " - "
                + XnatBodies.excerpt(response.body()), response.status());
    }

    private static void logBody(XnatResponse response) {
        log.warn("XNAT {} answered HTTP {}: {}", response.operation().key(), response.status(),
                XnatBodies.forLog(response.body()));
    }
}
