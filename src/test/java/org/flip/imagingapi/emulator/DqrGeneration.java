package org.flip.imagingapi.emulator;

/**
 * Which REST API the emulated DICOM Query-Retrieve plugin speaks; {@link XnatEmulator#setDqrGeneration}. All
 * generations share one queue (table {@code xhbm_queued_pacs_request}); a route of another generation answers
 * what Spring answers for an unmapped {@code /xapi} path: 404 with an empty body.
 */
public enum DqrGeneration {
    /**
     * The newest plugin (FLIP's DQR 3.0.0; the default): {@code POST /xapi/dqr/import}, {@code GET/POST
     * /xapi/dqr/import/queue} ({@code all=true}, 1-based {@code page}, {@code pageSize}), {@code .../queue/count},
     * {@code GET/DELETE .../queue/{id}}.
     */
    IMPORT_QUEUE,
    /**
     * A 2020 build between the two: {@code POST /xapi/dqr/import}, but the queue under {@code /xapi/dqr/query/queue}:
     * {@code GET} (site admins only; {@code user=true} for the caller's own, 1-based {@code page}, {@code pageSize}),
     * {@code GET .../count}, {@code POST} with an id array to delete, {@code GET/DELETE .../{id}}.
     */
    QUERY_QUEUE,
    /**
     * The oldest indexed build (© 2020, "Created by mike on 1/19/18"): no {@code /xapi/dqr/import} and no
     * {@code /import/queue}; the queue is {@code GET /xapi/dqr/query/queue/all} and {@code .../all/paged} (site
     * admins; 0-based {@code page}, {@code size}, 204 past the end), {@code .../all/count}, {@code .../user} and
     * {@code .../user/paged} (the caller's own), {@code GET/DELETE .../request/{id}}, and
     * {@code POST .../deleteRequests} with an id array (stops at the first id it cannot delete).
     */
    QUERY_QUEUE_ALL,
    /** No DQR plugin installed: every {@code /xapi/dqr/...} path is 404 with an empty body. */
    NONE
}
