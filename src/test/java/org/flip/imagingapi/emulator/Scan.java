package org.flip.imagingapi.emulator;

import java.util.List;

/**
 * A scan inside an image session (rendered as a {@code scans/scan} child of the experiment item JSON).
 *
 * @param resources resource labels, e.g. {@code DICOM}, {@code NIFTI}
 */
public record Scan(String id, String type, String seriesDescription, String uid, Integer frames,
                   List<String> resources) {
    public Scan {
        resources = resources == null ? List.of() : List.copyOf(resources);
    }
}
