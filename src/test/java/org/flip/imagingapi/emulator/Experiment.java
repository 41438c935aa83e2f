package org.flip.imagingapi.emulator;

import java.time.Instant;
import java.util.List;

/**
 * An experiment (image session). IDs look like {@code XNAT_E00001}.
 *
 * @param date    session date {@code yyyy-MM-dd}, may be null
 * @param xsiType e.g. {@code xnat:mrSessionData}; {@code xnat:dxSessionData} is hidden by the project-scoped
 *                listing (a documented XNAT quirk)
 * @param uid     study instance UID, may be null
 */
public record Experiment(String id, String label, String project, String subjectId, String date, String xsiType,
                         Instant insertDate, String insertUser, String uid, List<Scan> scans) {
    public Experiment {
        scans = scans == null ? List.of() : List.copyOf(scans);
        insertDate = insertDate == null ? Instant.now() : insertDate;
    }

    /** DICOM modality derived from the session type ({@code MR}, {@code CT}, {@code DX}, ...), or null. */
    public String modality() {
        if (xsiType == null) {
            return null;
        }
        String t = xsiType.startsWith("xnat:") ? xsiType.substring(5) : xsiType;
        int i = t.indexOf("SessionData");
        return i > 0 ? t.substring(0, i).toUpperCase(java.util.Locale.ROOT) : null;
    }
}
