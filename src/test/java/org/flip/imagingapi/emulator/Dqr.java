package org.flip.imagingapi.emulator;

import static org.flip.imagingapi.emulator.Http.Resp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The DICOM Query-Retrieve plugin's {@code /xapi/dqr} controller in its three API generations
 * ({@link DqrGeneration}), over one queue. Error rendering is XNAT's controller advice: an
 * {@code InsufficientPrivilegesException} is a 403 with an empty body, a {@code NotFoundException} a 404
 * {@code text/plain} "Unable to find requested file or resource: " + its message.
 */
final class Dqr {

    private static final String NOT_FOUND_PREFIX = "Unable to find requested file or resource: ";

    private final XnatEmulator emu;
    private final EmulatorState state;

    Dqr(XnatEmulator emu) {
        this.emu = emu;
        this.state = emu.state();
    }

    void register(Http.Router r) {
        // newest: /import/queue
        r.add(XnatOps.DQR_IMPORT, Http.AuthMode.REQUIRED, this::importStudies);
        r.add(XnatOps.DQR_LIST_QUEUE, Http.AuthMode.REQUIRED, this::importQueue);
        r.add(XnatOps.DQR_COUNT_QUEUE, Http.AuthMode.REQUIRED, this::importQueueCount);
        r.add(XnatOps.DQR_DELETE_QUEUED, Http.AuthMode.REQUIRED, this::importQueueDelete);
        r.add(XnatOps.DQR_GET_QUEUED, Http.AuthMode.REQUIRED, req -> getOne(req, DqrGeneration.IMPORT_QUEUE));
        r.add(XnatOps.DQR_DELETE_QUEUED_ONE, Http.AuthMode.REQUIRED,
                req -> deleteOne(req, DqrGeneration.IMPORT_QUEUE));
        // 2020, between: /query/queue
        r.add(XnatOps.DQR_QUERY_QUEUE, Http.AuthMode.REQUIRED, this::queryQueue);
        r.add(XnatOps.DQR_QUERY_QUEUE_COUNT, Http.AuthMode.REQUIRED, this::queryQueueCount);
        r.add(XnatOps.DQR_QUERY_QUEUE_DELETE, Http.AuthMode.REQUIRED, this::queryQueueDelete);
        r.add(XnatOps.DQR_QUERY_QUEUED, Http.AuthMode.REQUIRED, req -> getOne(req, DqrGeneration.QUERY_QUEUE));
        r.add(XnatOps.DQR_QUERY_QUEUED_DELETE, Http.AuthMode.REQUIRED,
                req -> deleteOne(req, DqrGeneration.QUERY_QUEUE));
        // oldest: /query/queue/all, /user, /request/{id}, /deleteRequests
        r.add(XnatOps.DQR_QUEUE_ALL, Http.AuthMode.REQUIRED, req -> legacyList(req, true, false));
        r.add(XnatOps.DQR_QUEUE_ALL_PAGED, Http.AuthMode.REQUIRED, req -> legacyList(req, true, true));
        r.add(XnatOps.DQR_QUEUE_ALL_COUNT, Http.AuthMode.REQUIRED, this::legacyCount);
        r.add(XnatOps.DQR_QUEUE_USER, Http.AuthMode.REQUIRED, req -> legacyList(req, false, false));
        r.add(XnatOps.DQR_QUEUE_USER_PAGED, Http.AuthMode.REQUIRED, req -> legacyList(req, false, true));
        r.add(XnatOps.DQR_QUEUE_REQUEST, Http.AuthMode.REQUIRED, req -> getOne(req, DqrGeneration.QUERY_QUEUE_ALL));
        r.add(XnatOps.DQR_QUEUE_REQUEST_DELETE, Http.AuthMode.REQUIRED,
                req -> deleteOne(req, DqrGeneration.QUERY_QUEUE_ALL));
        r.add(XnatOps.DQR_QUEUE_DELETE_REQUESTS, Http.AuthMode.REQUIRED, this::legacyBulkDelete);
    }

    // ------------------------------------------------------------------ plumbing

    /** Routes of another generation (or no plugin) are unmapped: Spring's 404 with an empty body. */
    private void require(Http.Req r, DqrGeneration... generations) {
        DqrGeneration current = emu.dqrGeneration();
        for (DqrGeneration g : generations) {
            if (g == current) {
                return;
            }
        }
        if (current == DqrGeneration.QUERY_QUEUE && r.segments.size() == 5 && r.segments.get(2).equals("query")
                && r.segments.get(3).equals("queue") && !r.method.equals("POST")) {
            // GET/DELETE /query/queue/all|user on the middle generation land on its /query/queue/{id}
            throw typeMismatch(r.segments.get(4));
        }
        throw new Http.Halt(Resp.empty(404));
    }

    /** Spring's MethodArgumentTypeMismatchException, through the advice's catch-all (500). */
    private static Http.Halt typeMismatch(String value) {
        return new Http.Halt(Resp.text(500, "There was an error in the request : Failed to convert value of type "
                + "'java.lang.String' to required type 'long'; nested exception is java.lang.NumberFormatException: "
                + "For input string: \"" + value + "\""));
    }

    private static long id(Http.Req r) {
        try {
            return Long.parseLong(r.var("id"));
        } catch (NumberFormatException e) {
            throw typeMismatch(r.var("id"));
        }
    }

    private static int intParam(Http.Req r, String name, int dflt) {
        String v = r.q(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new Http.Halt(Resp.text(500, "There was an error in the request : Failed to convert value of type "
                    + "'java.lang.String' to required type 'int'; nested exception is "
                    + "java.lang.NumberFormatException: For input string: \"" + v + "\""));
        }
    }

    private static Http.Halt forbidden() {
        return new Http.Halt(Resp.empty(403));
    }

    private static Http.Halt notFound(String message) {
        return new Http.Halt(Resp.text(404, NOT_FOUND_PREFIX + message));
    }

    /** {@code DqrUserXapiAuthorization}: site admins, {@code Dqr} role holders, or all when allowed. */
    private void requireDqrUser(Http.Req r) {
        if (!r.user.isSiteAdmin() && !r.user.hasRole(User.DQR) && !emu.dqrAllowAllUsers()) {
            throw forbidden();
        }
    }

    /** The XAPI aspect's {@code restrictTo = Admin}. */
    private static void requireAdmin(Http.Req r) {
        if (!r.user.isSiteAdmin()) {
            throw forbidden();
        }
    }

    /** Newer builds; the oldest generation's rows lack the study and patient fields. */
    static ObjectNode queuedJson(QueuedRequest q, boolean studyFields) {
        ObjectNode n = Http.MAPPER.createObjectNode();
        n.put("id", q.id());
        n.put("enabled", true);
        n.put("created", q.queuedTime());
        n.put("timestamp", q.queuedTime());
        n.put("disabled", 0);
        n.put("username", q.username());
        n.put("pacsId", q.pacsId());
        n.put("xnatProject", q.xnatProject());
        n.put("studyInstanceUid", q.studyInstanceUid());
        n.putArray("seriesIds");
        n.put("destinationAeTitle", q.destinationAeTitle());
        n.put("status", q.status());
        n.put("priority", q.priority());
        n.put("queuedTime", q.queuedTime());
        if (studyFields && q.accessionNumber() != null) {
            n.put("accessionNumber", q.accessionNumber());
        }
        return n;
    }

    private Resp json(List<QueuedRequest> rows) {
        boolean studyFields = emu.dqrGeneration() != DqrGeneration.QUERY_QUEUE_ALL;
        ArrayNode a = Http.MAPPER.createArrayNode();
        rows.forEach(q -> a.add(queuedJson(q, studyFields)));
        return Resp.json(200, a);
    }

    private List<QueuedRequest> rows(Http.Req r, boolean all) {
        List<QueuedRequest> rows = new ArrayList<>();
        for (QueuedRequest q : state.queuedRequests()) {
            if (all || q.username().equals(r.user.username())) {
                rows.add(q);
            }
        }
        return rows;
    }

    /** {@code PaginatedPacsRequest}: sort asc|desc by queued time, 1-based page. */
    private Resp paginated(Http.Req r, List<QueuedRequest> rows) {
        String sort = r.q("sort") == null ? "desc" : r.q("sort").toLowerCase(Locale.ROOT);
        if (!sort.equals("asc") && !sort.equals("desc")) {
            throw r.halt(400, "Invalid sort value: " + r.q("sort"));
        }
        int page = intParam(r, "page", 1);
        int pageSize = intParam(r, "pageSize", 100);
        if (page < 1 || pageSize < 1) {
            throw r.halt(400, "page and pageSize must be positive");
        }
        Comparator<QueuedRequest> cmp = Comparator.comparingLong(QueuedRequest::queuedTime)
                .thenComparingLong(QueuedRequest::id);
        rows.sort(sort.equals("asc") ? cmp : cmp.reversed());
        int from = (int) Math.min((long) (page - 1) * pageSize, rows.size());
        int to = (int) Math.min((long) from + pageSize, rows.size());
        return json(rows.subList(from, to));
    }

    /** Lookup for GET/DELETE of one request: admins see any, others only their own (404 otherwise). */
    private QueuedRequest find(Http.Req r, long id, boolean ownOnly) {
        Optional<QueuedRequest> q = state.queuedRequest(id);
        if (q.isEmpty() || ownOnly && !r.user.isSiteAdmin() && !q.get().username().equals(r.user.username())) {
            throw notFound("No queued PACS request with ID " + id + " found");
        }
        return q.get();
    }

    private Resp getOne(Http.Req r, DqrGeneration generation) {
        require(r, generation);
        requireDqrUser(r);
        QueuedRequest q = find(r, id(r), true);
        return Resp.json(200, queuedJson(q, generation != DqrGeneration.QUERY_QUEUE_ALL));
    }

    /** Deletes one id as the caller: 404 unknown, 403 another user's (unless site admin). */
    private void deleteAs(Http.Req r, long id) {
        QueuedRequest q = find(r, id, false);
        if (!r.user.isSiteAdmin() && !q.username().equals(r.user.username())) {
            throw forbidden();
        }
        if (!state.deleteQueuedRequest(id)) {
            throw notFound("No queued PACS request with ID " + id + " found");
        }
    }

    private Resp deleteOne(Http.Req r, DqrGeneration generation) {
        require(r, generation);
        requireDqrUser(r);
        deleteAs(r, id(r));
        return Resp.json(200, true);
    }

    private static List<Long> ids(Http.Req r) {
        JsonNode body = Http.parseJson(r);
        if (!body.isArray()) {
            throw r.halt(400, "The request body must be a JSON array of queued request IDs.");
        }
        List<Long> ids = new ArrayList<>();
        for (JsonNode n : body) {
            try {
                ids.add(n.isNumber() ? n.asLong() : Long.parseLong(n.asText()));
            } catch (NumberFormatException e) {
                throw r.halt(400, "Invalid queued request ID: " + n.asText());
            }
        }
        return ids;
    }

    private static String join(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static int status(Http.Halt h) {
        return h.resp.status();
    }

    // ------------------------------------------------------------------ newest: /import/queue

    private Resp importStudies(Http.Req r) {
        require(r, DqrGeneration.IMPORT_QUEUE, DqrGeneration.QUERY_QUEUE);
        requireDqrUser(r);
        JsonNode body = Http.parseJson(r);
        String project = Xapi.text(body, "projectId");
        Optional<Project> p = project == null ? Optional.empty() : state.project(project);
        if (p.isPresent() && !DataApi.canEdit(state, r.user, p.get())) {
            throw forbidden();
        }
        long pacsId = body.has("pacsId") ? body.get("pacsId").asLong(1) : 1;
        String ae = Xapi.text(body, "aeTitle");
        List<QueuedRequest> out = new ArrayList<>();
        if (body.get("studies") instanceof ArrayNode studies) {
            for (JsonNode s : studies) {
                out.add(state.queueDqrRequest(new QueuedRequest(0, r.user.username(), project,
                        Xapi.text(s, "studyInstanceUid"), Xapi.text(s, "accessionNumber"), pacsId,
                        ae == null ? "XNAT" : ae, "QUEUED", 10, System.currentTimeMillis())));
            }
        }
        return json(out);
    }

    /** {@code all=true} needs all-data access (403 empty otherwise); without it the caller's own rows. */
    private Resp importQueue(Http.Req r) {
        require(r, DqrGeneration.IMPORT_QUEUE);
        requireDqrUser(r);
        boolean all = "true".equalsIgnoreCase(r.q("all"));
        if (all && !r.user.canReadAll()) {
            throw forbidden();
        }
        return paginated(r, rows(r, all));
    }

    private Resp importQueueCount(Http.Req r) {
        require(r, DqrGeneration.IMPORT_QUEUE);
        requireDqrUser(r);
        boolean all = "true".equalsIgnoreCase(r.q("all"));
        if (all && !r.user.canReadAll()) {
            throw forbidden();
        }
        return Resp.json(200, rows(r, all).size());
    }

    /**
     * Every id is tried; unknown ones make a 404 whose count is "ids sent minus ids not found" (forbidden ones
     * included, as the plugin counts), and that 404 wins over the 403 for another user's ids.
     */
    private Resp importQueueDelete(Http.Req r) {
        require(r, DqrGeneration.IMPORT_QUEUE);
        requireDqrUser(r);
        List<Long> ids = ids(r);
        List<Long> notFound = new ArrayList<>();
        List<Long> forbidden = new ArrayList<>();
        for (long id : ids) {
            try {
                deleteAs(r, id);
            } catch (Http.Halt h) {
                (status(h) == 403 ? forbidden : notFound).add(id);
            }
        }
        if (!notFound.isEmpty()) {
            throw notFound("Deleted " + (ids.size() - notFound.size())
                    + " queued requests, but the remaining IDs were not found: " + join(notFound));
        }
        if (!forbidden.isEmpty()) {
            throw forbidden();
        }
        return Resp.json(200, true);
    }

    // ------------------------------------------------------------------ 2020, between: /query/queue

    /** Site admins only, even for {@code user=true} (the caller's own rows). */
    private Resp queryQueue(Http.Req r) {
        require(r, DqrGeneration.QUERY_QUEUE);
        requireAdmin(r);
        return paginated(r, rows(r, !"true".equalsIgnoreCase(r.q("user"))));
    }

    private Resp queryQueueCount(Http.Req r) {
        require(r, DqrGeneration.QUERY_QUEUE);
        requireAdmin(r);
        return Resp.json(200, rows(r, !"true".equalsIgnoreCase(r.q("user"))).size());
    }

    /** Unknown ids are collected into one 404; another user's id is an immediate 403 (later ids untouched). */
    private Resp queryQueueDelete(Http.Req r) {
        require(r, DqrGeneration.QUERY_QUEUE);
        requireDqrUser(r);
        List<Long> ids = ids(r);
        List<Long> notFound = new ArrayList<>();
        for (long id : ids) {
            try {
                deleteAs(r, id);
            } catch (Http.Halt h) {
                if (status(h) != 404) {
                    throw h;
                }
                notFound.add(id);
            }
        }
        if (!notFound.isEmpty()) {
            throw notFound("Deleted " + (ids.size() - notFound.size())
                    + " queued requests, but the remaining IDs were not found: " + join(notFound));
        }
        return Resp.json(200, true);
    }

    // ------------------------------------------------------------------ oldest: /query/queue/all

    /**
     * {@code /all} (site admins) or {@code /user} (the caller's own), in id order; {@code /paged} adds 0-based
     * {@code page}, {@code size} (default 100) and {@code sort} (default desc), and answers 204 when the page
     * starts past the end - so an empty queue is a 204, not {@code []}.
     */
    private Resp legacyList(Http.Req r, boolean all, boolean paged) {
        require(r, DqrGeneration.QUERY_QUEUE_ALL);
        if (all) {
            requireAdmin(r);
        } else {
            requireDqrUser(r);
        }
        List<QueuedRequest> rows = rows(r, all);
        rows.sort(Comparator.comparingLong(QueuedRequest::id));
        if (!paged) {
            return json(rows);
        }
        String sort = r.q("sort") == null ? "desc" : r.q("sort");
        int page = intParam(r, "page", 0);
        int size = intParam(r, "size", 100);
        int start = page * size;
        if (start >= rows.size()) {
            return Resp.empty(204);
        }
        if (!sort.equalsIgnoreCase("asc")) {
            Collections.reverse(rows);
        }
        return json(rows.subList(start, Math.min(start + size, rows.size())));
    }

    private Resp legacyCount(Http.Req r) {
        require(r, DqrGeneration.QUERY_QUEUE_ALL);
        requireAdmin(r);
        return Resp.json(200, state.queuedRequests().size());
    }

    /** One by one: the first id it cannot delete ends the call with that id's 404 or 403; earlier ones stay deleted. */
    private Resp legacyBulkDelete(Http.Req r) {
        require(r, DqrGeneration.QUERY_QUEUE_ALL);
        requireDqrUser(r);
        for (long id : ids(r)) {
            deleteAs(r, id);
        }
        return Resp.json(200, true);
    }
}
