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
 * The DICOM Query-Retrieve plugin's queue of pending imports, through its REST API (the reference
 * deleted rows in XNAT's own database tables, after the project was already gone).
 *
 * <p>DQR builds differ in where the queue lives (xnat-rest-behaviour §9.3), so the first page is
 * asked for at each generation's path in turn, starting with the one that answered last time:
 * <ul>
 *   <li>the newest (FLIP's DQR 3.0.0): {@code /xapi/dqr/import/queue?all=true}, 1-based pages,
 *       bulk delete {@code POST /xapi/dqr/import/queue};
 *   <li>a 2020 build: {@code /xapi/dqr/query/queue} (every user's requests, site admins only),
 *       1-based pages, bulk delete {@code POST /xapi/dqr/query/queue};
 *   <li>the oldest: {@code /xapi/dqr/query/queue/all/paged}, 0-based pages and a 204 past the end,
 *       bulk delete {@code POST /xapi/dqr/query/queue/deleteRequests}, which stops at the first id
 *       it cannot find, so the rest then go one by one.
 * </ul>
 * A path XNAT does not map answers 404. Only when every generation's path is 404 is there no DQR
 * and nothing to cancel; any other answer (403, 5xx, an HTML page) means DQR is there and its
 * queue cannot be read, which is a failure: the project must not be deleted while imports into it
 * may still be queued. Probe cost per deletion: one listing call when the generation is the one
 * seen last (plus one per further page of 100 requests), at most three when DQR is absent.
 */
@Component
public class XnatDqrQueue {

    private static final Logger log = LoggerFactory.getLogger(XnatDqrQueue.class);

    static final int PAGE_SIZE = 100;
    /** A guard against a queue that never ends (10,000 pages of 100 rows). */
    static final int MAX_PAGES = 10_000;

    private static final TypeReference<List<JsonNode>> ROWS = new TypeReference<>() { };

    /** The DQR API generations, newest first; each knows its listing and its deletes. */
    enum Generation {
        IMPORT_QUEUE("/xapi/dqr/import/queue",
                XnatOperation.read("DQR import queue listing",
                        "/xapi/dqr/import/queue?all=true&page={page}&pageSize={pageSize}"),
                1,
                // A bulk delete by id; replaying it only turns into the harmless "not found" 404.
                XnatOperation.set("DQR queued import deletion", HttpMethod.POST, "/xapi/dqr/import/queue"),
                null),
        QUERY_QUEUE("/xapi/dqr/query/queue",
                XnatOperation.read("DQR query queue listing", "/xapi/dqr/query/queue?page={page}&pageSize={pageSize}"),
                1,
                XnatOperation.set("DQR queued request deletion", HttpMethod.POST, "/xapi/dqr/query/queue"),
                null),
        QUERY_QUEUE_ALL("/xapi/dqr/query/queue/all/paged",
                XnatOperation.read("DQR queue listing (oldest DQR API)",
                        "/xapi/dqr/query/queue/all/paged?page={page}&size={pageSize}"),
                0,
                XnatOperation.set("DQR queued request deletion (oldest DQR API)", HttpMethod.POST,
                        "/xapi/dqr/query/queue/deleteRequests"),
                XnatOperation.set("DQR single queued request deletion (oldest DQR API)", HttpMethod.DELETE,
                        "/xapi/dqr/query/queue/request/{id}"));

        final String path;
        final XnatOperation list;
        final int firstPage;
        final XnatOperation delete;
        /** Only where the bulk delete stops at the first unknown id; null where it deletes the rest anyway. */
        final XnatOperation deleteOne;

        Generation(String path, XnatOperation list, int firstPage, XnatOperation delete, XnatOperation deleteOne) {
            this.path = path;
            this.list = list;
            this.firstPage = firstPage;
            this.delete = delete;
            this.deleteOne = deleteOne;
        }
    }

    private final XnatGateway gateway;
    /** The generation that answered last: asked first next time, so a steady XNAT costs one probe. */
    private volatile Generation lastSeen = Generation.IMPORT_QUEUE;

    XnatDqrQueue(XnatGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * Cancels every queued import request into {@code project} and returns how many there were;
     * 0 when this XNAT has no DQR plugin. The queue has no server-side project filter, so all of it
     * is paged through and filtered on {@code xnatProject} here; other projects' requests are never
     * touched. Throws {@link XnatFailure} when DQR is there but its queue cannot be read or emptied.
     */
    public int cancelQueuedImports(String project) {
        Found found = find(project);
        if (found == null) {
            return 0;
        }
        List<Long> ids = found.ids();
        if (ids.isEmpty()) {
            return 0;
        }
        Generation generation = found.generation();
        XnatResponse response = gateway.call(generation.delete, gateway.json(ids));
        if (response.status() == 404) {
            // Someone (the DQR worker, a concurrent delete) dequeued some ids since the listing.
            log.info("DQR had already dequeued some of the {} import requests of project {}: {}", ids.size(),
                    project, XnatBodies.excerpt(response.body()));
            if (generation.deleteOne != null) {
                // The oldest API stopped at the first id it could not find: the rest go one by one.
                ids.forEach(id -> deleteOne(project, generation, id));
            }
        } else if (!response.is2xx() || response.isHtml()) {
            throw unreadable(project, generation, gateway.unexpected(response), "could not delete its "
                    + ids.size() + " queued import request(s)");
        }
        log.info("Cancelled {} queued DQR import request(s) of project {} through {}", ids.size(), project,
                generation.path);
        return ids.size();
    }

    /** One id through the oldest API; 404 means it is gone already. */
    private void deleteOne(String project, Generation generation, long id) {
        XnatResponse response = gateway.call(generation.deleteOne, id);
        if (response.status() != 404 && (!response.is2xx() || response.isHtml())) {
            throw unreadable(project, generation, gateway.unexpected(response),
                    "could not delete its queued import request " + id);
        }
    }

    private record Found(Generation generation, List<Long> ids) {
    }

    /** The project's queued ids and the generation that listed them; null when no generation's path exists. */
    private Found find(String project) {
        Generation first = lastSeen;
        List<Generation> order = new ArrayList<>(List.of(first));
        for (Generation g : Generation.values()) {
            if (g != first) {
                order.add(g);
            }
        }
        for (Generation generation : order) {
            XnatResponse response = gateway.call(generation.list, generation.firstPage, PAGE_SIZE);
            if (response.status() == 404) {
                continue;
            }
            if (!response.is2xx() || response.isHtml()) {
                throw unreadable(project, generation, gateway.unexpected(response), "could not list its queue");
            }
            lastSeen = generation;
            return new Found(generation, queuedFor(project, generation, response));
        }
        log.info("XNAT has no DQR plugin (HTTP 404 at {}); nothing to cancel for project {}",
                String.join(", ", order.stream().map(g -> g.path).toList()), project);
        return null;
    }

    private List<Long> queuedFor(String project, Generation generation, XnatResponse firstPage) {
        Set<Long> seen = new LinkedHashSet<>();
        List<Long> matching = new ArrayList<>();
        XnatResponse response = firstPage;
        for (int page = generation.firstPage; page < generation.firstPage + MAX_PAGES; page++) {
            if (page != generation.firstPage) {
                response = gateway.call(generation.list, page, PAGE_SIZE);
                if (!response.is2xx() || response.isHtml()) {
                    throw unreadable(project, generation, gateway.unexpected(response),
                            "could not list page " + page + " of its queue");
                }
            }
            // The oldest API answers a page past the end with 204 and no body.
            List<JsonNode> rows = response.status() == 204 ? List.of() : read(project, generation, response);
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

    private List<JsonNode> read(String project, Generation generation, XnatResponse response) {
        try {
            return gateway.read(response, ROWS);
        } catch (XnatFailure failure) {
            throw unreadable(project, generation, failure, "answered its queue listing with something unreadable");
        }
    }

    /**
     * DQR is installed (its path answered something other than 404) but did not do its part: the
     * deletion stops here, before anything was deleted, so that no queued import lands in a
     * project that no longer exists.
     */
    private static XnatFailure unreadable(String project, Generation generation, XnatFailure cause, String what) {
        String hint = cause.xnatStatus() == 401 || cause.xnatStatus() == 403
                ? " The service account must be an XNAT site administrator to see every user's queued requests."
                : "";
        String detail = "XNAT's DQR plugin (" + generation.path + ") " + what + " for project '" + project
                + "', so its queued imports cannot be cancelled and the project was not deleted: " + cause.detail()
                + hint;
        return cause instanceof XnatFailure.Unusable ? XnatFailure.unusable(detail, cause.xnatStatus())
                : XnatFailure.rejected(detail, cause.xnatStatus());
    }
}
