package org.flip.imagingapi.xnat;

import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** What XNAT answered to one call: status, headers and the raw body. */
public record XnatResponse(XnatOperation operation, int status, HttpHeaders headers, byte[] body) {

    public boolean is2xx() {
        return status >= 200 && status < 300;
    }

    public String text() {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    public MediaType contentType() {
        return headers.getContentType();
    }

    /** An HTML page (a login page, an error page) where data was expected. */
    public boolean isHtml() {
        MediaType type = contentType();
        if (type != null && (type.isCompatibleWith(MediaType.TEXT_HTML)
                || type.isCompatibleWith(MediaType.APPLICATION_XHTML_XML))) {
            return true;
        }
        return body != null && startsWithMarkup(body) && XnatBodies.looksLikeHtml(text());
    }

    /** Cheap pre-check: a JSON listing can be megabytes, and is never decoded just to rule out HTML. */
    private static boolean startsWithMarkup(byte[] body) {
        for (byte b : body) {
            if (b == '<') {
                return true;
            }
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t' && b != (byte) 0xEF && b != (byte) 0xBB
                    && b != (byte) 0xBF) {
                return false;
            }
        }
        return false;
    }

    /** The failure to raise when this answer is not one the caller can use. */
    public XnatFailure failure() {
        String detail = "XNAT " + operation.description() + " failed: HTTP " + status + " - " + XnatBodies.excerpt(body);
        // A 2xx that is not the answer (a login page from a proxy in front of XNAT) did nothing we can use.
        return is2xx() ? XnatFailure.unusable(detail, status) : XnatFailure.rejected(detail, status);
    }

    @Override
    public String toString() {
        return "XnatResponse[" + operation.key() + " -> " + status + ", " + (body == null ? 0 : body.length) + " bytes]";
    }
}
