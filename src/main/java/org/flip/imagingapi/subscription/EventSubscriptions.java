package org.flip.imagingapi.subscription;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.flip.imagingapi.model.CommandInfo;
import org.flip.imagingapi.model.Subscription;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.xnat.XnatEventSubscriptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The per-project subscription that runs a container command (dcm2niix) on every new scan with
 * DICOM resources.
 *
 * <p>XNAT accepts any number of subscriptions with the same name, and a duplicate would run the
 * container twice per scan, so {@link #ensure} looks before it creates and converges on one. The
 * name carries the project id: a site-wide cleanup keyed on the name can never take one project's
 * subscription for another's (XNAT omits a top-level project id on per-project subscriptions).
 */
@Service
public class EventSubscriptions {

    private static final Logger log = LoggerFactory.getLogger(EventSubscriptions.class);

    /** Serialises look-then-create per project inside this replica (striped, so memory stays fixed). */
    private final ReentrantLock[] locks = new ReentrantLock[64];

    private final CommandLookup commandLookup;
    private final XnatEventSubscriptions xnat;

    public EventSubscriptions(CommandLookup commandLookup, XnatEventSubscriptions xnat) {
        this.commandLookup = commandLookup;
        this.xnat = xnat;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public static String nameFor(CommandInfo command, String projectId) {
        String tool = command.commandName() == null || command.commandName().isBlank()
                ? "command " + command.commandId() : command.commandName();
        return "imaging-api " + tool + " " + projectId;
    }


    /**
     * Makes sure the project has exactly one of our subscriptions for {@code image} ({@code null}:
     * the configured image), active or not as asked. Safe to replay after a failure at any step.
     */
    public EnsuredSubscription ensure(String projectId, String image, boolean active) {
        CommandInfo command = commandLookup.find(image);
        // Idempotent, and always sent: XNAT validates a subscription against the project enablement,
        // and an existing subscription is useless if the wrapper was disabled since.
        xnat.enableWrapper(projectId, command);
        String name = nameFor(command, projectId);
        String actionKey = XnatEventSubscriptions.actionKeyFor(command);
        ReentrantLock lock = locks[Math.floorMod(projectId.hashCode(), locks.length)];
        lock.lock();
        try {
            List<Subscription> ours = ours(xnat.list(projectId), name, actionKey);
            if (!ours.isEmpty()) {
                Subscription kept = converge(projectId, ours);
                return new EnsuredSubscription(follow(projectId, kept, active), false);
            }
            Subscription draft = XnatEventSubscriptions.dicomScanDraft(projectId, name, command, active);
            Long createdId = xnat.create(projectId, draft, command);
            log.info("Created event subscription {} for project {} ({}, {})", createdId, projectId, actionKey,
                    active ? "active" : "inactive");
            // Another replica may have created one at the same time: list again and keep the oldest.
            List<Subscription> after = ours(xnat.list(projectId), name, actionKey);
            if (after.isEmpty()) {
                return new EnsuredSubscription(draft.withId(createdId), true);
            }
            Subscription kept = converge(projectId, after);
            boolean created = createdId == null || createdId.equals(kept.id());
            return new EnsuredSubscription(follow(projectId, kept, active), created);
        } finally {
            lock.unlock();
        }
    }

    public List<Subscription> list(String projectId) {
        return xnat.list(projectId);
    }

    public Subscription activate(String projectId, long id) {
        return setActive(projectId, id, true);
    }

    public Subscription deactivate(String projectId, long id) {
        return setActive(projectId, id, false);
    }

    /** Deletes one of the project's subscriptions; 404 when the project has no such subscription. */
    public void delete(String projectId, long id) {
        find(projectId, id);
        xnat.delete(projectId, id);
        log.info("Deleted event subscription {} of project {}", id, projectId);
    }

    private Subscription setActive(String projectId, long id, boolean active) {
        // Looked up in the project's own listing first: XNAT answers a subscription of another
        // project with a 401, which is not the caller's "not found".
        Subscription subscription = find(projectId, id);
        xnat.setActive(projectId, id, active);
        log.info("{} event subscription {} of project {}", active ? "Activated" : "Deactivated", id, projectId);
        return subscription.withActive(active);
    }

    private Subscription find(String projectId, long id) {
        return xnat.list(projectId).stream()
                .filter(s -> s.id() != null && s.id() == id)
                .findFirst()
                .orElseThrow(() -> ProblemException.notFound(
                        "Project '" + projectId + "' has no event subscription " + id + "."));
    }

    private static List<Subscription> ours(List<Subscription> all, String name, String actionKey) {
        return all.stream()
                .filter(s -> s.id() != null && name.equals(s.name()) && actionKey.equals(s.actionKey()))
                .sorted(Comparator.comparing(Subscription::id))
                .toList();
    }

    /** Keeps the oldest of our subscriptions and deletes the others (left by a race or an old bug). */
    private Subscription converge(String projectId, List<Subscription> ours) {
        Subscription kept = ours.get(0);
        for (Subscription duplicate : ours.subList(1, ours.size())) {
            try {
                xnat.delete(projectId, duplicate.id());
                log.warn("Deleted duplicate event subscription {} of project {} (kept {})", duplicate.id(),
                        projectId, kept.id());
            } catch (ProblemException e) {
                // Another replica may have deleted it already; the next ensure tries again otherwise.
                log.warn("Could not delete duplicate event subscription {} of project {}: {}", duplicate.id(),
                        projectId, e.detail());
            }
        }
        return kept;
    }

    private Subscription follow(String projectId, Subscription subscription, boolean active) {
        if (subscription.active() == active) {
            return subscription;
        }
        xnat.setActive(projectId, subscription.id(), active);
        log.info("{} event subscription {} of project {} as requested", active ? "Activated" : "Deactivated",
                subscription.id(), projectId);
        return subscription.withActive(active);
    }
}
