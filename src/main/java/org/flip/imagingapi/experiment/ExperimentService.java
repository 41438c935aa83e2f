package org.flip.imagingapi.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.flip.imagingapi.model.Experiment;
import org.flip.imagingapi.model.Subject;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.xnat.XnatExperiments;
import org.springframework.stereotype.Service;

/** The read side of a project's imaging data: its subjects, its experiments, one experiment. */
@Service
class ExperimentService {

    private final XnatExperiments xnat;

    ExperimentService(XnatExperiments xnat) {
        this.xnat = xnat;
    }

    List<Subject> subjects(String projectId) {
        return xnat.subjects(projectId).orElseThrow(() -> ProblemException.projectNotFound(projectId));
    }

    List<Experiment> experiments(String projectId) {
        return xnat.experiments(projectId).orElseThrow(() -> ProblemException.projectNotFound(projectId));
    }

    /** 404 when absent or neither owned by nor shared into the project (XNAT finds an ID anywhere). */
    JsonNode experiment(String projectId, String idOrLabel) {
        return xnat.experiment(projectId, idOrLabel).orElseThrow(() -> experimentNotFound(projectId, idOrLabel));
    }

    String subjectId(String projectId, String idOrLabel) {
        return xnat.subjectId(projectId, idOrLabel).orElseThrow(() -> experimentNotFound(projectId, idOrLabel));
    }

    private static ProblemException experimentNotFound(String projectId, String idOrLabel) {
        return ProblemException.notFound("Experiment with ID or label '" + idOrLabel + "' not found in project '"
                + projectId + "'.");
    }
}
