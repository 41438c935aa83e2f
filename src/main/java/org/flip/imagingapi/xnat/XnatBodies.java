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
    /**
     * Every e-mail form, for redaction: a plain local part (any letter, digit or RFC 5322 atom
     * character, so {@code jöhn@exämple.org} too) or a quoted one ({@code "john doe"@x.org}), then
     * {@code @} or a percent-encoded {@code %40}, then a domain (any letters, or an IP literal).
     * Linear on any text: a plain local part is only tried where a run of its characters starts.
     */
    private static final String LOCAL_CHAR = "[\\p{L}\\p{M}\\p{N}!#$%&'*+/=?^_`{|}~.-]";
    private static final Pattern EMAIL = Pattern.compile(
            "(?:\"(?:[^\"\\\\\\r\\n]|\\\\.){1,256}+\"|(?<!" + LOCAL_CHAR + ")" + LOCAL_CHAR + "+)"
                    + "(?:@|%40)"
                    + "(?:\\[[^\\]\\s]{1,64}+]|[\\p{L}\\p{M}\\p{N}-]++(?:\\.[\\p{L}\\p{M}\\p{N}-]++)*+)");

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
        text = escapeControls(redact(SPACE.matcher(text).replaceAll(" ").strip()));
        text = text.replace("<", "").replace(">", "");
        if (text.length() <= EXCERPT_LIMIT) {
            return text.isEmpty() ? "(empty body)" : text;
        }
        return text.substring(0, EXCERPT_LIMIT) + "… (+" + (text.length() - EXCERPT_LIMIT)
                + " more characters, full body in the imaging-api log)";
    }

    /**
     * The full body for the log on one line: e-mail addresses replaced, line breaks and other
     * control characters escaped (XNAT's text must not forge log lines).
     */
    public static String forLog(byte[] body) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return escapeControls(redact(text.length() > 20_000 ? text.substring(0, 20_000) + "…(truncated)" : text));
    }

    /** The one e-mail redaction rule, for logs and for problem details alike. */
    public static String redact(String text) {
        return EMAIL.matcher(text).replaceAll("<e-mail>");
    }

    /** {@code \n}, {@code \r}, {@code \t} and {@code \}{@code uXXXX} for control characters and U+2028/U+2029. */
    static String escapeControls(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && escaped == null) {
                escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escaped == null) {
                continue;
            }
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (control) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped == null ? text : escaped.toString();
    }

    static boolean looksLikeHtml(String text) {
        String head = text.stripLeading();
        return head.startsWith("<") && (head.regionMatches(true, 0, "<html", 0, 5)
                || head.regionMatches(true, 0, "<!doctype", 0, 9)
                || head.regionMatches(true, 0, "<head", 0, 5) || head.regionMatches(true, 0, "<body", 0, 5)
                || text.contains("</html>") || text.contains("</h1>") || text.contains("</h3>"));
    }
}
