package org.flip.imagingapi.xnat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flip.imagingapi.model.Experiment;
import org.flip.imagingapi.model.Subject;
import org.springframework.stereotype.Component;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.util.function.Tuple2;

/** A project's subjects and experiments ({@code /data/projects/{p}/subjects}, {@code /data/experiments}). */
@Component
public class XnatExperiments {

    static final XnatOperation SUBJECTS =
            XnatOperation.read("subject listing", "/data/projects/{project}/subjects?format=json");
    /*
     * The global listing, not /data/projects/{p}/experiments: the project-scoped one applies
     * per-data-type security and silently drops sessions whose type is not registered in the
     * project (xnat:dxSessionData chest X-rays), which made imports look stuck (reference §3.8).
     * It answers an empty list for an unknown project, hence the existence check beside it.
     */
    static final XnatOperation EXPERIMENTS =
            XnatOperation.read("experiment listing", "/data/experiments?format=json&project={project}");
    static final XnatOperation EXPERIMENT =
            XnatOperation.read("experiment lookup", "/data/projects/{project}/experiments/{experiment}?format=json");

    private static final TypeReference<JsonNode> JSON = new TypeReference<>() { };

    private final XnatGateway gateway;
    private final XnatProjects projects;

    XnatExperiments(XnatGateway gateway, XnatProjects projects) {
        this.gateway = gateway;
        this.projects = projects;
    }

    /** The project's subjects (shared ones included); empty when XNAT does not know the project. */
    public Optional<List<Subject>> subjects(String project) {
        XnatResponse response = gateway.call(SUBJECTS, project);
        if (response.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(gateway.rows(response, row -> new Subject(text(row, "ID"), text(row, "label"),
                text(row, "insert_date"), text(row, "project"), text(row, "insert_user"),
                row.getOrDefault("URI", "/data/subjects/" + text(row, "ID")))));
    }

    /**
     * The experiments the project owns; empty when XNAT does not know the project. The existence
     * check and the listing run concurrently; a missing project wins over a failed listing.
     */
    public Optional<List<Experiment>> experiments(String project) {
        Mono<Boolean> exists = gateway.async(() -> projects.find(project).isPresent());
        Mono<Signal<List<Experiment>>> listing = Mono.fromCallable(
                () -> gateway.rows(gateway.call(EXPERIMENTS, project), XnatExperiments::toExperiment)).materialize();
        Tuple2<Boolean, Signal<List<Experiment>>> both = Mono.zip(exists, listing).block();
        if (!both.getT1()) {
            return Optional.empty();
        }
        Signal<List<Experiment>> listed = both.getT2();
        if (listed.isOnError()) {
            throw Exceptions.propagate(listed.getThrowable());
        }
        return Optional.of(listed.get());
    }

    /**
     * XNAT's item JSON of one experiment, unchanged; empty when absent. XNAT resolves an experiment
     * ID anywhere in the archive, whatever project the URL names, so an experiment neither owned by
     * nor shared into this project is absent here too (the reference returned it).
     */
    public Optional<JsonNode> experiment(String project, String idOrLabel) {
        XnatResponse response = gateway.call(EXPERIMENT, project, idOrLabel);
        if (response.status() == 404) {
            return Optional.empty();
        }
        JsonNode root = gateway.read(response, JSON);
        JsonNode item = currentItem(root, response);
        return belongsTo(item, project) ? Optional.of(root) : Optional.empty();
    }

    /** The experiment's subject, read from {@code items[0].data_fields.subject_ID}; empty when absent. */
    public Optional<String> subjectId(String project, String idOrLabel) {
        return experiment(project, idOrLabel).map(root -> {
            JsonNode subject = root.path("items").path(0).path("data_fields").path("subject_ID");
            if (!subject.isValueNode() || subject.asText().isEmpty()) {
                throw XnatFailure.unusable("XNAT's JSON for experiment '" + idOrLabel
                        + "' has no items[0].data_fields.subject_ID.", 200);
            }
            return subject.asText();
        });
    }

    private JsonNode currentItem(JsonNode root, XnatResponse response) {
        JsonNode items = root.path("items");
        if (items.isArray()) {
            // History versions only come with includeHistory=true, but skip them as xnatpy does.
            for (JsonNode item : items) {
                if (item.isObject() && !item.path("meta").path("isHistory").asBoolean(false)) {
                    return item;
                }
            }
        }
        throw XnatFailure.unusable("XNAT " + EXPERIMENT.description()
                + " answered JSON without an experiment item (HTTP " + response.status() + ").", response.status());
    }

    private static boolean belongsTo(JsonNode item, String project) {
        if (project.equals(item.path("data_fields").path("project").asText(null))) {
            return true;
        }
        for (JsonNode child : item.path("children")) {
            if ("sharing/share".equals(child.path("field").asText())) {
                for (JsonNode share : child.path("items")) {
                    if (project.equals(share.path("data_fields").path("project").asText(null))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Experiment toExperiment(Map<String, String> row) {
        String assessorId = row.get("xnat:subjectassessordata/id");
        return new Experiment(text(row, "ID"), text(row, "label"), text(row, "date"), text(row, "project"),
                text(row, "insert_date"), text(row, "xsiType"),
                row.getOrDefault("URI", "/data/experiments/" + text(row, "ID")),
                assessorId == null || assessorId.isEmpty() ? null : assessorId);
    }

    private static String text(Map<String, String> row, String key) {
        String value = row.get(key);
        return value == null ? "" : value;
    }

}
