package org.flip.imagingapi.project;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.flip.imagingapi.config.ProvisioningProperties;
import org.flip.imagingapi.model.Project;
import org.flip.imagingapi.subscription.EventSubscriptions;
import org.flip.imagingapi.user.ProvisionedUsers;
import org.flip.imagingapi.user.UserProvisioning;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.xnat.Creation;
import org.flip.imagingapi.xnat.XnatFailure;
import org.flip.imagingapi.xnat.XnatProjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
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
    private final Duration deadline;
    private final ReentrantLock[] locks = new ReentrantLock[64];

    ProjectProvisioning(XnatProjects projects, EventSubscriptions subscriptions, UserProvisioning users,
            ProvisioningProperties properties,
            @Value("${provisioning.deadline:25s}") Duration deadline) {
        this.projects = projects;
        this.subscriptions = subscriptions;
        this.users = users;
        this.properties = properties;
        this.deadline = deadline;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public Outcome provision(CentralHubProject hub) {
        String hubId = hub.hubId();
        long started = System.nanoTime();
        // Two identical requests in this replica run one after the other: the second resumes.
        ReentrantLock lock = locks[Math.floorMod(hubId.hashCode(), locks.length)];
        lock.lock();
        try {
            ProjectAndOrigin target = findOrCreate(hub);
            String id = target.project().id();
            within(started, "setting the prearchive code");
            if (!projects.setPrearchiveCode(id, properties.prearchiveCode())) {
                throw ProblemException.projectNotFound(id);
            }
            within(started, "subscribing the project to dcm2niix");
            subscriptions.ensure(id, properties.dcm2niixImage(), hub.dicomToNifti());
            within(started, "provisioning the users");
            ProvisionedUsers provisioned = users.provision(id, hub.users());
            log.info("Provisioned hub project {} as XNAT project {} ({}; {} invited, {} members)", hubId, id,
                    target.created() ? "created" : "resumed", provisioned.createdUsers().size(),
                    provisioned.addedUsers().size());
            return new Outcome(new CreatedProject(id, target.project().name(), provisioned.createdUsers(),
                    provisioned.addedUsers()), target.created());
        } finally {
            lock.unlock();
        }
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

    /**
     * The task runner gives up after 30 s. Stopping between steps past our deadline answers it in
     * time; the replay it then sends resumes from the project that exists.
     */
    private void within(long started, String nextStep) {
        if (System.nanoTime() - started > deadline.toNanos()) {
            throw new ProblemException(HttpStatus.GATEWAY_TIMEOUT, "provisioning_deadline",
                    "Provisioning did not finish within " + deadline.toSeconds() + " s (XNAT is slow) before "
                            + nextStep + "; sending the same request again resumes where it stopped.");
        }
    }
}
