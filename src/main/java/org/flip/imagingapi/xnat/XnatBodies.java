package org.flip.imagingapi.xnat;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns XNAT error bodies (Restlet status pages, Tomcat error pages, plain text) into a short,
 * tag-free excerpt for a problem detail, and a log-safe full text.
 */
public final class XnatBodies {

    public static final int EXCERPT_LIMIT = 200;
    private static final Pattern H3 = Pattern.compile("<h3>(.*?)</h3>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern SCRIPT_OR_STYLE =
            Pattern.compile("<(script|style)[^>]*>.*?</\\1>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]*>?");
    private static final Pattern SPACE = Pattern.compile("\\s+");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+");

    private XnatBodies() {
    }

    /** At most 200 characters of what XNAT said, without markup or e-mail addresses. */
    public static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (looksLikeHtml(text)) {
            Matcher h3 = H3.matcher(text);
            text = h3.find() ? h3.group(1) : SCRIPT_OR_STYLE.matcher(text).replaceAll(" ");
            text = TAG.matcher(text).replaceAll(" ");
        }
        text = redact(SPACE.matcher(text).replaceAll(" ").strip());
        text = text.replace("<", "").replace(">", "");
        if (text.length() <= EXCERPT_LIMIT) {
            return text.isEmpty() ? "(empty body)" : text;
        }
        return text.substring(0, EXCERPT_LIMIT) + "… (+" + (text.length() - EXCERPT_LIMIT)
                + " more characters, full body in the imaging-api log)";
    }

    /** The full body for the log, e-mail addresses replaced. */
    public static String forLog(byte[] body) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return redact(text.length() > 20_000 ? text.substring(0, 20_000) + "…(truncated)" : text);
    }

    public static String redact(String text) {
        return EMAIL.matcher(text).replaceAll("<e-mail>");
    }

    static boolean looksLikeHtml(String text) {
        String head = text.stripLeading();
        return head.startsWith("<") && (head.regionMatches(true, 0, "<html", 0, 5)
                || head.regionMatches(true, 0, "<!doctype", 0, 9)
                || head.regionMatches(true, 0, "<head", 0, 5) || head.regionMatches(true, 0, "<body", 0, 5)
                || text.contains("</html>") || text.contains("</h1>") || text.contains("</h3>"));
    }
}
