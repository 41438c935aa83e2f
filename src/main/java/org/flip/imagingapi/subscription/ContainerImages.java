package org.flip.imagingapi.subscription;

/** The shape of a container image reference a caller may name (it only ever becomes one query value). */
final class ContainerImages {

    /**
     * 1-255 characters of the image reference grammar (registry host and port, path, tag, digest):
     * quotes, backslashes, {@code ;}, {@code &}, {@code <} and {@code >} never name an image, so
     * they are refused here rather than sent to XNAT.
     */
    static final String PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,254}$";
    static final String MESSAGE = "must be a container image reference: 1-255 letters, digits and . _ - / : @ +, "
            + "starting with a letter or digit";

    private ContainerImages() {
    }
}
