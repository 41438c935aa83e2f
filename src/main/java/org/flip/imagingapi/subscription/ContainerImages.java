package org.flip.imagingapi.subscription;

/** The shape of a container image reference a caller may name (it only ever becomes one query value). */
final class ContainerImages {

    /** 1-255 printable characters without spaces. */
    static final String PATTERN = "^[\\x21-\\x7E]{1,255}$";
    static final String MESSAGE = "must be a container image reference: 1-255 printable characters without spaces";

    private ContainerImages() {
    }
}
