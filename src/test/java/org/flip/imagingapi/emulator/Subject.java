package org.flip.imagingapi.emulator;

import java.time.Instant;

/** An XNAT subject owned by one project. IDs look like {@code XNAT_S00001}. */
public record Subject(String id, String project, String label, Instant insertDate, String insertUser) {
}
