package org.flip.imagingapi.xnat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns XNAT error bodies (Restlet status pages, Tomcat error pages, plain text) into a short,
 * tag-free excerpt for a problem detail, and a log-safe full text.
 */
public final class XnatBodies {

    public static final int EXCERPT_LIMIT = 200;
    private static final int CLEANED_LIMIT = 4_000;
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

    /**
     * At most 200 characters of what XNAT said, without markup, e-mail addresses, Java class names
     * or server banners: a Restlet page gives its message, a web server's error page (Tomcat,
     * nginx, Jetty, Apache) its headline and message, a JSON error its message; stack traces are
     * dropped and exception names become "an error". The full body goes to the log ({@link #forLog}).
     */
    public static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (looksLikeHtml(text)) {
            text = htmlMessage(text);
        } else {
            text = jsonMessage(text);
        }
        // Only the head is cleaned (the rules stay linear in a bounded text); the rest is counted.
        int beyond = Math.max(0, text.length() - CLEANED_LIMIT);
        text = text.substring(0, text.length() - beyond);
        text = escapeControls(redact(SPACE.matcher(neutral(text)).replaceAll(" ").strip()));
        text = text.replace("<", "").replace(">", "");
        if (text.length() <= EXCERPT_LIMIT && beyond == 0) {
            return text.isEmpty() ? "(no message in the body)" : text;
        }
        int cut = Math.min(EXCERPT_LIMIT, text.length());
        return text.substring(0, cut) + "… (+" + (text.length() - cut + beyond)
                + " more characters, full body in the imaging-api log)";
    }

    private static final Pattern H1 = element("h1");
    private static final Pattern H2 = element("h2");
    private static final Pattern PRE_OR_ADDRESS =
            Pattern.compile("<(pre|address)[^>]*>.*?</\\1>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    /** Tomcat's error report: {@code <p><b>Message</b> ...</p>}. */
    private static final Pattern TOMCAT_MESSAGE =
            Pattern.compile("<b>\\s*Message\\s*</b>(.*?)</p>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private static Pattern element(String name) {
        return Pattern.compile("<" + name + "(?:\\s[^>]*)?>(.*?)</" + name + ">", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    /** Restlet's message in {@code <h3>}; else a web server page's headline (and Tomcat's message). */
    private static String htmlMessage(String html) {
        String page = SCRIPT_OR_STYLE.matcher(html).replaceAll(" ");
        Matcher h3 = H3.matcher(page);
        while (h3.find()) {
            String message = plain(h3.group(1));
            if (!message.isBlank() && !BANNER_WORD.matcher(message).find()) {
                return message;
            }
        }
        page = PRE_OR_ADDRESS.matcher(page).replaceAll(" ");
        String headline = first(page, H1, H2);
        Matcher tomcat = TOMCAT_MESSAGE.matcher(page);
        String message = tomcat.find() ? plain(tomcat.group(1)).strip() : "";
        if (headline == null) {
            return plain(page);
        }
        return message.isEmpty() ? headline : headline + ": " + message;
    }

    private static String first(String page, Pattern... elements) {
        for (Pattern element : elements) {
            Matcher m = element.matcher(page);
            if (m.find() && !plain(m.group(1)).isBlank()) {
                return plain(m.group(1)).strip();
            }
        }
        return null;
    }

    private static String plain(String markup) {
        return TAG.matcher(markup).replaceAll(" ").replace("&nbsp;", " ").replace("&amp;", "&")
                .replace("&lt;", "").replace("&gt;", "").replace("&quot;", "\"");
    }

    /** A JSON error object (Spring's {@code {"error":..., "message":...}}) gives its message. */
    private static String jsonMessage(String text) {
        String head = text.stripLeading();
        if (!head.startsWith("{") || head.length() > 100_000) {
            return text;
        }
        try {
            JsonNode message = JSON.readTree(head).get("message");
            return message != null && message.isTextual() && !message.asText().isBlank() ? message.asText() : text;
        } catch (IOException | RuntimeException e) {
            return text;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Header lines a body may carry ({@code Server: Apache-Coyote/1.1}, {@code X-Powered-By: ...}). */
    private static final Pattern HEADER_LINE =
            Pattern.compile("(?im)^[ \\t]*(?:Server|X-Powered-By|Via)[ \\t]*:.*$");
    /** Product tokens of web servers and runtimes ({@code Apache Tomcat/9.0.108}, {@code nginx/1.25.3}). */
    private static final Pattern PRODUCT = Pattern.compile("(?i)(?:\\bPowered by\\s+)?\\b(?:Apache[ -]Tomcat|Apache-Coyote"
            + "|Apache|Tomcat|nginx|openresty|Jetty|Microsoft-IIS|lighttpd|Caddy|Undertow|WildFly|JBoss|Servlet|JSP"
            + "|Java)(?::/)?/\\s?[\\w.\\-]*(?:\\s*\\([^)]{0,80}\\))?");
    /** Server names left without a version. */
    static final Pattern BANNER_WORD = Pattern.compile("(?i)\\bApache[ -]Tomcat\\b|\\bApache-Coyote\\b|\\bTomcat/"
            + "|\\bnginx\\b|\\bJetty\\b|\\bopenresty\\b|\\bServer:");
    /** {@code at org.nrg.Foo.bar(Foo.java:12)}, with or without the {@code at}. */
    private static final Pattern STACK_FRAME = Pattern.compile(
            "(?:\\bat\\s+)?\\b(?:[A-Za-z_$][\\w$]*\\.)+[\\w$<>]+\\((?:[\\w$]+\\.java:\\d+|Unknown Source|Native Method)\\)");
    /** A qualified Java name ({@code java.lang.NullPointerException}, {@code org.nrg.xft.XFTItem.getProperty(String)}). */
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?i:\\b(?:an?|the)\\s+)?\\b(?:[a-z_][\\w$]*\\.)+[A-Z][\\w$]*(?:\\.[a-z_][\\w$]*)?(?:\\([^)]{0,80}\\))?");
    /** A simple exception or error type name ({@code NullPointerException}, {@code StackOverflowError}). */
    private static final Pattern EXCEPTION_NAME =
            Pattern.compile("(?i:\\b(?:an?|the)\\s+)?\\b[A-Za-z_$][\\w$]*(?:Exception|Error|Throwable)\\b");

    /** Server banners dropped, Java type names replaced by neutral words. */
    static String neutral(String text) {
        String out = HEADER_LINE.matcher(text).replaceAll(" ");
        out = PRODUCT.matcher(out).replaceAll(" ");
        out = BANNER_WORD.matcher(out).replaceAll(" ");
        out = STACK_FRAME.matcher(out).replaceAll(" ");
        out = QUALIFIED.matcher(out).replaceAll(m -> isErrorType(m.group()) ? "an error" : "an XNAT component");
        return EXCEPTION_NAME.matcher(out).replaceAll("an error");
    }

    private static boolean isErrorType(String name) {
        String type = name.replaceAll("\\(.*", "");
        int dot = type.lastIndexOf('.');
        String last = type.substring(dot + 1);
        String owner = dot < 0 ? type : type.substring(0, dot);
        return last.matches(".*(Exception|Error|Throwable)") || owner.matches(".*(Exception|Error|Throwable)");
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
