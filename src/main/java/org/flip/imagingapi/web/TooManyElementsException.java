package org.flip.imagingapi.web;

import java.util.List;

/**
 * A list in a request body longer than its bound, refused while the body is read (a 422 with one
 * error) rather than by a {@code @Size} constraint: Bean Validation validates every element even
 * when the size constraint fails, and Spring turns each violation into a field error with a scan of
 * those already found, so 1 MB of broken list elements (90,000 violations) would take minutes
 * (issue 15). Within the bound there are a few thousand at most.
 */
public class TooManyElementsException extends IllegalArgumentException {

    private final String field;
    private final int max;

    private TooManyElementsException(String field, int max) {
        super(field + " holds more than " + max + " entries");
        this.field = field;
        this.max = max;
    }

    /** The list itself, if it holds at most {@code max} entries. */
    public static <T> List<T> requireAtMost(String field, List<T> list, int max) {
        if (list != null && list.size() > max) {
            throw new TooManyElementsException(field, max);
        }
        return list;
    }

    String field() {
        return field;
    }

    String rule() {
        return "must hold at most " + max + " entries";
    }
}
