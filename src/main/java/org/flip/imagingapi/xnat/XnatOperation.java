package org.flip.imagingapi.xnat;

import org.springframework.http.HttpMethod;

/**
 * One kind of XNAT call: what it is for (named in error details and metrics), its method and URL
 * template, its time budget, and whether replaying it can do harm.
 *
 * <p>Templates are expanded by WebClient's strict encoder (see {@link XnatWebClientConfig}), so each
 * variable stays one path segment or one query value: {@code /} in a value becomes {@code %2F}.
 */
public record XnatOperation(String description, HttpMethod method, String template, Budget budget,
        boolean idempotent) {

    /** Which configured time budget applies (see {@code xnat.timeouts.*}). */
    public enum Budget { STANDARD, SLOW, LOGIN }

    public static XnatOperation read(String description, String template) {
        return new XnatOperation(description, HttpMethod.GET, template, Budget.STANDARD, true);
    }

    /** A call that sets a value: replaying it leaves the same state. */
    public static XnatOperation set(String description, HttpMethod method, String template) {
        return new XnatOperation(description, method, template, Budget.STANDARD, true);
    }

    /** A call that creates something: never replayed blindly (a retry may duplicate it). */
    public static XnatOperation create(String description, HttpMethod method, String template) {
        return new XnatOperation(description, method, template, Budget.STANDARD, false);
    }

    public XnatOperation slow() {
        return new XnatOperation(description, method, template, Budget.SLOW, idempotent);
    }

    /** The metric/operation name: method and template, never a concrete id. */
    public String key() {
        int query = template.indexOf('?');
        return method.name() + " " + (query < 0 ? template : template.substring(0, query));
    }
}
