package org.flip.imagingapi.emulator;

/**
 * A DQR queued PACS import request (table {@code xhbm_queued_pacs_request}).
 *
 * @param username   the requester (the queue listing shows callers only their own rows)
 * @param queuedTime epoch ms
 */
public record QueuedRequest(long id, String username, String xnatProject, String studyInstanceUid,
                            String accessionNumber, long pacsId, String destinationAeTitle, String status,
                            int priority, long queuedTime) {

    QueuedRequest withId(long value) {
        return new QueuedRequest(value, username, xnatProject, studyInstanceUid, accessionNumber, pacsId,
                destinationAeTitle, status, priority, queuedTime);
    }
}
