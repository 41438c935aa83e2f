package org.flip.imagingapi.project;

import java.util.Optional;
import org.flip.imagingapi.config.ProvisioningProperties;
import org.flip.imagingapi.model.Project;
import org.flip.imagingapi.model.Subscription;
import org.flip.imagingapi.subscription.EventSubscriptions;
import org.flip.imagingapi.user.ProvisionedUsers;
import org.flip.imagingapi.user.UserProvisioning;
import org.flip.imagingapi.web.CallerDeadline;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.xnat.Creation;
import org.flip.imagingapi.xnat.XnatFailure;
import org.flip.imagingapi.xnat.XnatProjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Contract §4: one hub project becomes one XNAT project with its prearchive code, its dcm2niix
 * subscription and its users.
 *
 * <p>Idempotent and convergent: the hub and its task runner retry, so every step is "make it so".
 * The project is found by its hub id first; a new one gets a derived ID ({@link HubProjectIds}) so
 * that a racing replica's create fails with XNAT's 409 instead of making a twin; the later steps
 * are themselves idempotent. A failure at any step leaves nothing a replay cannot complete.
 */
@Service
public class ProjectProvisioning {

    private static final Logger log = LoggerFactory.getLogger(ProjectProvisioning.class);

    /** The outcome and whether this request created the XNAT project (201) or resumed one (200). */
    public record Outcome(CreatedProject project, boolean created) {
    }

    private final XnatProjects projects;
    private final EventSubscriptions subscriptions;
    private final UserProvisioning users;
    private final ProvisioningProperties properties;
    private final CallerDeadline deadline;

    ProjectProvisioning(XnatProjects projects, EventSubscriptions subscriptions, UserProvisioning users,
            ProvisioningProperties properties, CallerDeadline deadline) {
        this.projects = projects;
        this.subscriptions = subscriptions;
        this.users = users;
        this.properties = properties;
        this.deadline = deadline;
    }

    /**
     * Provisions within the caller's deadline. Two requests for the same hub project share one run
     * (in this replica); past the deadline the run carries on in the background and the caller is
     * told that sending the same request again completes it.
     */
    public Outcome provision(CentralHubProject hub) {
        String hubId = hub.hubId();
        return deadline.run("provisioning:" + hubId, "provisioning", () -> flow(hub), () -> new CallerDeadline.Late(
                "provisioning_deadline", "Provisioning of hub project " + hubId + " did not finish within "
                        + deadline.deadline().toSeconds() + " s because XNAT is slow; it carries on in the background. "
                        + "Sending the same request again completes it (or answers the completed project)."),
                // a request that waited for an identical one resumed the project that one made
                outcome -> new Outcome(outcome.project(), false));
    }

    private Outcome flow(CentralHubProject hub) {
        String hubId = hub.hubId();
        ProjectAndOrigin target = findOrCreate(hub);
        String id = target.project().id();
        if (!projects.setPrearchiveCode(id, properties.prearchiveCode())) {
            throw ProblemException.projectNotFound(id);
        }
        Subscription subscription = subscriptions.ensure(id, properties.dcm2niixImage(), hub.dicomToNifti())
                .subscription();
        // XNAT lists a site-wide subscription under every project, with no project id (model.Subscription).
        CreatedProject.CoveringSubscription covering = new CreatedProject.CoveringSubscription(subscription.id(),
                subscription.active(), subscription.projectId() == null);
        if (covering.siteWide()) {
            log.info("XNAT project {} is covered by site-wide event subscription {} ({}); no project subscription "
                    + "was added", id, covering.id(), covering.active() ? "active" : "inactive");
        }
        ProvisionedUsers provisioned = users.provision(id, hub.users());
        log.info("Provisioned hub project {} as XNAT project {} ({}; subscription {}{}; {} invited, {} members, {} "
                + "left out as privileged)", hubId, id, target.created() ? "created" : "resumed", covering.id(),
                covering.siteWide() ? " site-wide" : "", provisioned.createdUsers().size(),
                provisioned.addedUsers().size(), provisioned.skippedUsers().size());
        return new Outcome(new CreatedProject(id, target.project().name(), provisioned.createdUsers(),
                provisioned.addedUsers(), provisioned.skippedUsers(), covering), target.created());
    }

    private record ProjectAndOrigin(Project project, boolean created) {
    }

    private ProjectAndOrigin findOrCreate(CentralHubProject hub) {
        String hubId = hub.hubId();
        var existing = projects.findBySecondaryId(hubId);
        if (existing.isPresent()) {
            return new ProjectAndOrigin(existing.get(), false);
        }
        String id = HubProjectIds.xnatIdFor(hubId);
        try {
            Creation<Project> creation = projects.create(id, hubId, hub.xnatName(), hub.xnatDescription());
            if (!creation.isTaken()) {
                return new ProjectAndOrigin(creation.value(), true);
            }
            log.info("XNAT project {} for hub project {} already exists (a concurrent or earlier attempt); "
                    + "resuming with it", id, hubId);
        } catch (XnatFailure.InDoubt doubt) {
            // The request went out and its answer was lost: XNAT may have made the project. Look
            // before anything is repeated (a failure that sent nothing is not looked up).
            Optional<Project> made = projects.find(id);
            if (made.isEmpty()) {
                throw doubt;
            }
            log.info("XNAT project {} for hub project {} exists after a create whose answer was lost; resuming "
                    + "with it", id, hubId);
            return new ProjectAndOrigin(made.get(), false);
        }
        Project project = projects.find(id).orElseThrow(() -> new ProblemException(HttpStatus.BAD_GATEWAY,
                "xnat_error", "XNAT reports project '" + id + "' as taken but does not list it."));
        return new ProjectAndOrigin(project, false);
    }

}
