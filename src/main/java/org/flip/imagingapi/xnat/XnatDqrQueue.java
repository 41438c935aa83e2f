package org.flip.imagingapi.xnat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * The DICOM Query-Retrieve plugin's import queue ({@code /xapi/dqr/import/queue}), through its REST
 * API: the reference deleted rows in XNAT's own database tables, after the project was already gone.
 */
@Component
public class XnatDqrQueue {

    private static final Logger log = LoggerFactory.getLogger(XnatDqrQueue.class);

    static final int PAGE_SIZE = 100;
    /** A guard against a queue that never ends (10,000 pages of 100 rows). */
    static final int MAX_PAGES = 10_000;

    static final XnatOperation LIST = XnatOperation.read("DQR import queue listing",
            "/xapi/dqr/import/queue?all=true&page={page}&pageSize={pageSize}");
    /** A bulk delete by id; replaying it only turns into the harmless "not found" 404 below. */
    static final XnatOperation DELETE = XnatOperation.set("DQR queued import deletion",
            HttpMethod.POST, "/xapi/dqr/import/queue");

    private static final TypeReference<List<JsonNode>> ROWS = new TypeReference<>() { };

    private final XnatGateway gateway;

    XnatDqrQueue(XnatGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * Cancels every queued import request into {@code project} and returns how many there were.
     * The queue has no server-side project filter, so all of it is paged through and filtered on
     * {@code xnatProject} here; other projects' requests are never touched.
     */
    public int cancelQueuedImports(String project) {
        List<Long> ids = queuedFor(project);
        if (ids.isEmpty()) {
            return 0;
        }
        XnatResponse response = gateway.call(DELETE, gateway.json(ids));
        if (response.status() == 404) {
            // DQR deletes the ids it finds before answering 404 for the rest: someone (the DQR
            // worker, a concurrent delete) took the others already.
            log.info("DQR had already dequeued some of the {} import requests of project {}: {}", ids.size(),
                    project, XnatBodies.excerpt(response.body()));
        } else if (!response.is2xx() || response.isHtml()) {
            throw gateway.unexpected(response);
        }
        log.info("Cancelled {} queued DQR import request(s) of project {}", ids.size(), project);
        return ids.size();
    }

    private List<Long> queuedFor(String project) {
        Set<Long> seen = new LinkedHashSet<>();
        List<Long> matching = new ArrayList<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            XnatResponse response = gateway.call(LIST, page, PAGE_SIZE);
            if (response.status() == 404 && page == 1) {
                // No DQR plugin on this XNAT: nothing can be queued for the project.
                log.info("XNAT has no DQR import queue (HTTP 404); nothing to cancel for project {}", project);
                return List.of();
            }
            List<JsonNode> rows = gateway.read(response, ROWS);
            boolean anyNew = false;
            for (JsonNode row : rows) {
                JsonNode id = row == null ? null : row.get("id");
                if (id == null || !id.canConvertToLong() || !seen.add(id.asLong())) {
                    continue;
                }
                anyNew = true;
                if (project.equals(row.path("xnatProject").asText(null))) {
                    matching.add(id.asLong());
                }
            }
            // A short page is the last; a page of nothing new means the plugin ignores paging.
            if (rows.size() < PAGE_SIZE || !anyNew) {
                break;
            }
        }
        return matching;
    }
}
