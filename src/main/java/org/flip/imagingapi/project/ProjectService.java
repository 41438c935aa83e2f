package org.flip.imagingapi.project;

import org.flip.imagingapi.model.Project;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.xnat.XnatDqrQueue;
import org.flip.imagingapi.xnat.XnatFailure;
import org.flip.imagingapi.xnat.XnatProjects;
import org.springframework.stereotype.Service;

/** Finding, creating, configuring and deleting XNAT projects, each in a constant number of XNAT calls. */
@Service
public class ProjectService {

    private final XnatProjects projects;
    private final XnatDqrQueue dqrQueue;

    ProjectService(XnatProjects projects, XnatDqrQueue dqrQueue) {
        this.projects = projects;
        this.dqrQueue = dqrQueue;
    }

    public Project get(String id) {
        return projects.find(id).orElseThrow(() -> XnatProjects.notFound(id));
    }

    public Project getByCentralHubId(String centralHubProjectId) {
        return projects.findBySecondaryId(centralHubProjectId).orElseThrow(() -> ProblemException.notFound(
                "No project corresponds to central hub project '" + centralHubProjectId + "'."));
    }

    /**
     * Checks first, because XNAT's POST is not retried and its 409 is only a race backstop (XNAT's
     * own 409 is mapped too). The reference answered 400 for a taken ID; the contract says 409.
     */
    public Project create(CreateProjectRequest request) {
        if (projects.find(request.id()).isPresent()) {
            throw ProblemException.conflict("Project ID '" + request.id()
                    + "' already exists. Can't create a new project with the same ID.");
        }
        projects.create(request.id(), request.secondaryId(), request.name(), request.description());
        return projects.find(request.id()).orElseThrow(() -> XnatFailure.badGateway("XNAT accepted project '"
                + request.id() + "' but does not list it.", 200));
    }

    public PrearchiveCode setPrearchiveCode(String id, PrearchiveCode code) {
        projects.setPrearchiveCode(id, code.code());
        return code;
    }

    /**
     * Cancels the project's queued DQR imports before deleting it: the reference did it after, so
     * a DQR dequeue in between tried to import into a project that no longer existed.
     */
    public Project delete(String id) {
        Project before = get(id);
        dqrQueue.cancelQueuedImports(id);
        projects.delete(id);
        return before;
    }
}
