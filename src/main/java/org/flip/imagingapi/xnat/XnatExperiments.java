package org.flip.imagingapi.xnat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.flip.imagingapi.model.Experiment;
import org.flip.imagingapi.model.Subject;
import org.flip.imagingapi.web.ProblemException;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

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
    /** Runs the existence check beside the listing; when saturated the caller runs it itself. */
    private final ThreadPoolExecutor sideCalls;

    XnatExperiments(XnatGateway gateway, XnatProjects projects) {
        this.gateway = gateway;
        this.projects = projects;
        AtomicInteger threads = new AtomicInteger();
        this.sideCalls = new ThreadPoolExecutor(0, 16, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "xnat-side-call-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    @PreDestroy
    void shutdown() {
        sideCalls.shutdownNow();
    }

    /** The project's subjects (shared ones included); XNAT's 404 for an unknown project is ours. */
    public List<Subject> subjects(String project) {
        XnatResponse response = gateway.call(SUBJECTS, project);
        if (response.status() == 404) {
            throw XnatProjects.notFound(project);
        }
        return gateway.rows(response, row -> new Subject(text(row, "ID"), text(row, "label"),
                text(row, "insert_date"), text(row, "project"), text(row, "insert_user"),
                row.getOrDefault("URI", "/data/subjects/" + text(row, "ID"))));
    }

    /** The experiments the project owns: the existence check and the listing run concurrently. */
    public List<Experiment> experiments(String project) {
        CompletableFuture<Boolean> exists = inSideCall(() -> projects.find(project).isPresent());
        List<Experiment> experiments = null;
        RuntimeException listingFailure = null;
        try {
            experiments = gateway.rows(gateway.call(EXPERIMENTS, project), XnatExperiments::toExperiment);
        } catch (RuntimeException e) {
            listingFailure = e;
        }
        if (!SingleFlight.join(exists)) {
            throw XnatProjects.notFound(project);
        }
        if (listingFailure != null) {
            throw listingFailure;
        }
        return experiments;
    }

    /**
     * XNAT's item JSON of one experiment, unchanged. XNAT resolves an experiment ID anywhere in the
     * archive, whatever project the URL names, so an experiment neither owned by nor shared into
     * this project is a 404 here (the reference returned it).
     */
    public JsonNode experiment(String project, String idOrLabel) {
        XnatResponse response = gateway.call(EXPERIMENT, project, idOrLabel);
        if (response.status() == 404) {
            throw experimentNotFound(project, idOrLabel);
        }
        JsonNode root = gateway.read(response, JSON);
        JsonNode item = currentItem(root, response);
        if (!belongsTo(item, project)) {
            throw experimentNotFound(project, idOrLabel);
        }
        return root;
    }

    /** The experiment's subject, read from {@code items[0].data_fields.subject_ID}. */
    public String subjectId(String project, String idOrLabel) {
        JsonNode root = experiment(project, idOrLabel);
        JsonNode subject = root.path("items").path(0).path("data_fields").path("subject_ID");
        if (!subject.isValueNode() || subject.asText().isEmpty()) {
            throw XnatFailure.badGateway("XNAT's JSON for experiment '" + idOrLabel
                    + "' has no items[0].data_fields.subject_ID.", 200);
        }
        return subject.asText();
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
        throw XnatFailure.badGateway("XNAT " + EXPERIMENT.description()
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

    static ProblemException experimentNotFound(String project, String idOrLabel) {
        return ProblemException.notFound("Experiment with ID or label '" + idOrLabel + "' not found in project '"
                + project + "'.");
    }

    private static Experiment toExperiment(Map<String, String> row) {
        String assessorId = row.get("xnat:subjectassessordata/id");
        return new Experiment(text(row, "ID"), text(row, "label"), text(row, "date"), text(row, "project"),
                text(row, "insert_date"), text(row, "xsiType"),
                row.getOrDefault("URI", "/data/experiments/" + text(row, "ID")),
                assessorId == null || assessorId.isEmpty() ? null : assessorId);
    }

    private List<Map<String, String>> rows(XnatResponse response) {
        return gateway.rows(response);
    }

    private static String text(Map<String, String> row, String key) {
        String value = row.get(key);
        return value == null ? "" : value;
    }

    private <T> CompletableFuture<T> inSideCall(Supplier<T> call) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        return CompletableFuture.supplyAsync(() -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            if (mdc != null) {
                MDC.setContextMap(mdc); // the request id travels to XNAT on the side call too
            }
            try {
                return call.get();
            } finally {
                if (previous != null) {
                    MDC.setContextMap(previous);
                } else {
                    MDC.clear();
                }
            }
        }, sideCalls);
    }

}
