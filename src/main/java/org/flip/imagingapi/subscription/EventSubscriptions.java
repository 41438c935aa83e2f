package org.flip.imagingapi.subscription;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.flip.imagingapi.model.CommandInfo;
import org.flip.imagingapi.model.Subscription;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.xnat.XnatEventSubscriptions;
import org.flip.imagingapi.xnat.XnatFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
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
     * Makes sure the project has exactly one subscription running the command for {@code image}
     * ({@code null}: the configured image) on new scans, active or not as asked. Any subscription
     * of the project for the same action key and event counts, whatever its name (the reference
     * service named its own "DICOM-NIfTI Conversion"); a site-wide one already covers the project,
     * so none is added. Safe to replay after a failure at any step.
     */
    public EnsuredSubscription ensure(String projectId, String image, boolean active) {
        CommandInfo command = commandLookup.find(image);
        // Idempotent, and always sent: XNAT validates a subscription against the project enablement,
        // and an existing subscription is useless if the wrapper was disabled since.
        if (!xnat.enableWrapper(projectId, command)) {
            throw ProblemException.notFound("Enabling command wrapper '" + command.wrapperName() + "' (command "
                    + command.commandId() + ") for project '" + projectId + "' failed: XNAT has no such project "
                    + "(or the wrapper is no longer registered).");
        }
        String actionKey = XnatEventSubscriptions.actionKeyFor(command);
        ReentrantLock lock = locks[Math.floorMod(projectId.hashCode(), locks.length)];
        lock.lock();
        try {
            List<Subscription> all = listed(projectId);
            Optional<Subscription> siteWide = siteWideMatching(all, actionKey).stream().findFirst();
            if (siteWide.isPresent()) {
                Subscription covering = siteWide.get();
                log.warn("Project {} is covered by site-wide event subscription {} ('{}', {}) for {}; no project "
                        + "subscription added{}", projectId, covering.id(), covering.name(),
                        covering.active() ? "active" : "inactive", actionKey,
                        covering.active() == active ? "" : " (it cannot be switched " + (active ? "on" : "off")
                                + " per project: XNAT's admin pages manage it)");
                return new EnsuredSubscription(covering, false);
            }
            List<Subscription> ours = ownMatching(all, actionKey);
            if (!ours.isEmpty()) {
                Subscription kept = converge(projectId, ours);
                return new EnsuredSubscription(follow(projectId, kept, active), false);
            }
            Subscription draft = XnatEventSubscriptions.dicomScanDraft(projectId, nameFor(command, projectId),
                    command, active);
            Long createdId;
            try {
                createdId = xnat.create(projectId, draft, command);
                log.info("Created event subscription {} for project {} ({}, {})", createdId, projectId, actionKey,
                        active ? "active" : "inactive");
            } catch (XnatFailure.InDoubt doubt) {
                // The create went out and its answer was lost: the listing below tells whether it happened.
                if (ownMatching(listed(projectId), actionKey).isEmpty()) {
                    throw doubt;
                }
                createdId = null;
                log.info("Event subscription for project {} exists after a create whose answer was lost", projectId);
            }
            // Another replica may have created one at the same time: list again and keep the oldest.
            List<Subscription> after = ownMatching(listed(projectId), actionKey);
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
        return listed(projectId);
    }

    public Subscription activate(String projectId, long id) {
        return setActive(projectId, id, true);
    }

    public Subscription deactivate(String projectId, long id) {
        return setActive(projectId, id, false);
    }

    /** Deletes one of the project's subscriptions; 404 when the project has no such subscription. */
    public void delete(String projectId, long id) {
        findProjectOwn(projectId, id);
        if (!xnat.delete(projectId, id)) {
            throw noSuchSubscription(projectId, id);
        }
        log.info("Deleted event subscription {} of project {}", id, projectId);
    }

    private Subscription setActive(String projectId, long id, boolean active) {
        Subscription subscription = findProjectOwn(projectId, id);
        if (!xnat.setActive(projectId, id, active)) {
            throw noSuchSubscription(projectId, id);
        }
        log.info("{} event subscription {} of project {}", active ? "Activated" : "Deactivated", id, projectId);
        return subscription.withActive(active);
    }

    /**
     * Looked up in the project's own listing first: XNAT answers a subscription of another project,
     * or a site-wide one, with a 401, which is neither the caller's "not found" nor our permission.
     */
    private Subscription findProjectOwn(String projectId, long id) {
        Subscription subscription = listed(projectId).stream()
                .filter(s -> s.id() != null && s.id() == id)
                .findFirst()
                .orElseThrow(() -> noSuchSubscription(projectId, id));
        if (subscription.projectId() == null) {
            throw new ProblemException(HttpStatus.CONFLICT, "site_wide_subscription", "Event subscription " + id
                    + " is site-wide: it belongs to every project, so it cannot be changed through project '"
                    + projectId + "'. An XNAT administrator manages it in XNAT's Administer > Event Service page.");
        }
        return subscription;
    }

    private List<Subscription> listed(String projectId) {
        return xnat.list(projectId).orElseThrow(() -> ProblemException.projectNotFound(projectId));
    }

    private static ProblemException noSuchSubscription(String projectId, long id) {
        return ProblemException.notFound("Project '" + projectId + "' has no event subscription " + id + ".");
    }

    /**
     * The project's own subscriptions that {@link #ensure} counts as the one running this action on
     * new scans (whatever their name), oldest first: more than one is a duplicate it would delete.
     */
    public static List<Subscription> ownMatching(List<Subscription> all, String actionKey) {
        return all.stream()
                .filter(s -> s.id() != null && s.projectId() != null && runsOnNewScans(s, actionKey))
                .sorted(Comparator.comparing(Subscription::id))
                .toList();
    }

    /** The site-wide subscriptions running this action on new scans, oldest first (they cover every project). */
    public static List<Subscription> siteWideMatching(List<Subscription> all, String actionKey) {
        return all.stream()
                .filter(s -> s.id() != null && s.projectId() == null && runsOnNewScans(s, actionKey))
                .sorted(Comparator.comparing(Subscription::id))
                .toList();
    }


    private static boolean runsOnNewScans(Subscription s, String actionKey) {
        return actionKey.equals(s.actionKey()) && XnatEventSubscriptions.EVENT_TYPE.equals(s.eventType())
                && XnatEventSubscriptions.STATUS.equals(s.status());
    }

    /** Keeps the oldest of our subscriptions and deletes the others (left by a race or an old bug). */
    private Subscription converge(String projectId, List<Subscription> ours) {
        Subscription kept = ours.get(0);
        for (Subscription duplicate : ours.subList(1, ours.size())) {
            try {
                xnat.delete(projectId, duplicate.id());
                log.warn("Deleted duplicate event subscription {} of project {} (kept {})", duplicate.id(),
                        projectId, kept.id());
            } catch (XnatFailure e) {
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
        if (!xnat.setActive(projectId, subscription.id(), active)) {
            throw noSuchSubscription(projectId, subscription.id());
        }
        log.info("{} event subscription {} of project {} as requested", active ? "Activated" : "Deactivated",
                subscription.id(), projectId);
        return subscription.withActive(active);
    }
}
