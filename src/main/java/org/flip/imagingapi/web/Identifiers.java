package org.flip.imagingapi.web;

/**
 * Contract §1.4: the shape of every identifier that can reach an XNAT URL. Used in
 * {@code @Pattern} constraints (so a violation is a 422 before any XNAT call) and in the OpenAPI
 * document (so Swagger UI shows the same rule). Free text is checked by {@link PlainText}, e-mails by
 * {@link XnatEmail}.
 */
public final class Identifiers {

    /** XNAT's own project ID characters, capped at 64. */
    public static final String PROJECT_ID = "^[A-Za-z0-9_-]{1,64}$";
    public static final String PROJECT_ID_MESSAGE = "must be 1-64 letters, digits, '_' or '-'";

    /** RFC 3986 unreserved characters, not "." or "..". */
    public static final String EXPERIMENT = "^(?!\\.{1,2}$)[A-Za-z0-9._~-]{1,255}$";
    public static final String EXPERIMENT_MESSAGE = "must be 1-255 of A-Z a-z 0-9 . _ ~ - and not '.' or '..'";

    /** XNAT's username rule. */
    public static final String USERNAME = "^[A-Za-z][A-Za-z0-9_'.-]{0,63}$";
    public static final String USERNAME_MESSAGE = "must start with a letter and hold at most 64 of A-Z a-z 0-9 _ ' . -";

    /** Hub project, trust and user ids: a UUID in canonical 8-4-4-4-12 form (either case). */
    public static final String UUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
    public static final String UUID_MESSAGE = "must be a UUID";

    /** Subscription and command ids. */
    public static final String POSITIVE_INTEGER = "^[1-9][0-9]{0,17}$";
    public static final String POSITIVE_INTEGER_MESSAGE = "must be a positive integer";

    private Identifiers() {
    }
}
