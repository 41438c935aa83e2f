package org.flip.imagingapi.project;

import java.util.List;
import org.flip.imagingapi.model.Project;
import org.flip.imagingapi.model.Subject;
import org.flip.imagingapi.web.CallerDeadline;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.xnat.Creation;
import org.flip.imagingapi.xnat.XnatDqrQueue;
import org.flip.imagingapi.xnat.XnatExperiments;
import org.flip.imagingapi.xnat.XnatFailure;
import org.flip.imagingapi.xnat.XnatProjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** Finding, creating, configuring and deleting XNAT projects, each in a constant number of XNAT calls. */
@Service
public class ProjectService {

    private static final Logger log = LoggerFactory.getLogger(ProjectService.class);
    /** How many of the subjects that keep a project alive a 409 names. */
    static final int HOLDERS_NAMED = 5;

    private final XnatProjects projects;
    private final XnatDqrQueue dqrQueue;
    private final XnatExperiments experiments;
    private final CallerDeadline deadline;

    ProjectService(XnatProjects projects, XnatDqrQueue dqrQueue, XnatExperiments experiments,
            CallerDeadline deadline) {
        this.projects = projects;
        this.dqrQueue = dqrQueue;
        this.experiments = experiments;
        this.deadline = deadline;
    }

    public List<Project> list() {
        return projects.list();
    }

    public Project get(String id) {
        return projects.find(id).orElseThrow(() -> ProblemException.projectNotFound(id));
    }

    public Project getByCentralHubId(String centralHubProjectId) {
        return projects.findBySecondaryId(centralHubProjectId).orElseThrow(() -> ProblemException.notFound(
                "No project corresponds to central hub project '" + centralHubProjectId + "'."));
    }

    /**
     * Checks first, because XNAT's POST is not retried and its 409 is only a race backstop. The
     * reference answered 400 for a taken ID; the contract says 409. A secondary ID another project
     * holds is refused too: the hub-id lookup must find one project, never one of two.
     */
    public Project create(CreateProjectRequest request) {
        if (projects.find(request.id()).isPresent()) {
            throw idTaken(request.id());
        }
        if (request.secondaryId() != null && !request.secondaryId().isEmpty()) {
            projects.findBySecondaryId(request.secondaryId()).ifPresent(other -> {
                throw ProblemException.conflict("Project '" + other.id() + "' already has the secondary ID '"
                        + request.secondaryId() + "'; the hub-id lookup needs it to be unique.");
            });
        }
        try {
            Creation<Project> creation = projects.create(request.id(), request.secondaryId(), request.name(),
                    request.description());
            if (creation.isTaken()) {
                throw idTaken(request.id());
            }
        } catch (XnatFailure.InDoubt doubt) {
            // The create may have happened: look before answering (never repeat it blindly).
            if (projects.find(request.id()).isEmpty()) {
                throw doubt;
            }
            log.info("XNAT project {} exists after a create whose answer was lost", request.id());
        }
        return projects.find(request.id()).orElseThrow(() -> new ProblemException(HttpStatus.BAD_GATEWAY,
                "xnat_error", "XNAT accepted project '" + request.id() + "' but does not list it."));
    }

    public PrearchiveCode setPrearchiveCode(String id, PrearchiveCode code) {
        if (!projects.setPrearchiveCode(id, code.code())) {
            throw ProblemException.projectNotFound(id);
        }
        return code;
    }

    /**
     * Cancels the project's queued DQR imports before deleting it (the reference did it after, so a
     * DQR dequeue in between tried to import into a project that no longer existed), then checks
     * that the project is gone: XNAT answers 200 yet keeps a project one of whose subjects holds
     * another project's experiment (xnat-rest-behaviour §4.7).
     */
    public Project delete(String id) {
        return deadline.run("deletion:" + id, "project deletion", () -> deleteNow(id), () -> new CallerDeadline.Late(
                "deletion_deadline", "XNAT did not finish deleting project '" + id + "' within "
                        + deadline.deadline().toSeconds() + " s; the deletion carries on in the background. Sending "
                        + "the same request again reports the outcome (404 once the project is gone)."));
    }

    private Project deleteNow(String id) {
        Project before = get(id);
        dqrQueue.cancelQueuedImports(id);
        if (!projects.delete(id)) {
            throw ProblemException.projectNotFound(id);
        }
        if (projects.find(id).isPresent()) {
            throw notDeleted(id);
        }
        log.info("Deleted XNAT project {}", id);
        return before;
    }

    private ProblemException notDeleted(String id) {
        List<String> holders = experiments.subjects(id).orElse(List.of()).stream().map(Subject::label).toList();
        String named = holders.isEmpty() ? "" : " Its remaining subjects ("
                + String.join(", ", holders.subList(0, Math.min(HOLDERS_NAMED, holders.size())))
                + (holders.size() > HOLDERS_NAMED ? ", and " + (holders.size() - HOLDERS_NAMED) + " more" : "")
                + ") hold experiments that belong to other projects.";
        log.warn("XNAT answered the deletion of project {} with 200 but kept it ({} subjects remain)", id,
                holders.size());
        return new ProblemException(HttpStatus.CONFLICT, "project_not_deleted", "XNAT kept project '" + id
                + "' although it accepted the deletion: its own experiments are gone, the project and its subjects "
                + "are not." + named + " Move or delete those experiments in XNAT (or remove the subjects from the "
                + "other projects), then send the delete again.");
    }

    private static ProblemException idTaken(String id) {
        return ProblemException.conflict("Project ID '" + id + "' already exists. Can't create a new project with "
                + "the same ID.");
    }
}
