package org.flip.imagingapi.emulator;

import java.util.Map;

/** HTML bodies XNAT serves: Restlet status pages, Tomcat error pages, the login page, item reports. */
final class Pages {
    private Pages() {
    }

    static final String LOGIN_FAILURE_MESSAGE = "Your login attempt failed because the username and password "
            + "combination you provided was invalid or your user already has the maximum number of user sessions "
            + "open. After 20 failed login attempts, your user account will be locked. If you believe your account "
            + "is currently locked, you can: Unlock it by resetting your password; Wait one hour for it to unlock "
            + "automatically";

    private static final Map<Integer, String> RFC_ANCHORS = Map.ofEntries(
            Map.entry(400, "sec10.4.1"), Map.entry(401, "sec10.4.2"), Map.entry(403, "sec10.4.4"),
            Map.entry(404, "sec10.4.5"), Map.entry(405, "sec10.4.6"), Map.entry(409, "sec10.4.10"),
            Map.entry(412, "sec10.4.13"), Map.entry(415, "sec10.4.16"), Map.entry(417, "sec10.4.18"),
            Map.entry(500, "sec10.5.1"), Map.entry(502, "sec10.5.3"), Map.entry(503, "sec10.5.4"));

    private static final Map<Integer, String> DEFAULT_DESCRIPTIONS = Map.ofEntries(
            Map.entry(400, "The request could not be understood by the server due to malformed syntax"),
            Map.entry(401, "The request requires user authentication"),
            Map.entry(403, "The server understood the request, but is refusing to fulfill it"),
            Map.entry(404, "The server has not found anything matching the request URI"),
            Map.entry(405, "The method specified in the request is not allowed for the resource identified by "
                    + "the request URI"),
            Map.entry(409, "The request could not be completed due to a conflict with the current state of the "
                    + "resource"),
            Map.entry(412, "The precondition given in one or more of the request-header fields evaluated to false "
                    + "when it was tested on the server"),
            Map.entry(417, "The expectation given in an Expect request-header field could not be met by this "
                    + "server"),
            Map.entry(422, "The server understands the content type of the request entity and the syntax of the "
                    + "request entity is correct but was unable to process the contained instructions"),
            Map.entry(500, "The server encountered an unexpected condition which prevented it from fulfilling the "
                    + "request"));

    /** Restlet's default status page; the message sits in {@code <h3>} (xnatpy scrapes it from there). */
    static Http.Resp statusPage(int status, String description) {
        String msg = description == null || description.isEmpty()
                ? DEFAULT_DESCRIPTIONS.getOrDefault(status, "Status " + status) : description;
        String link = status == 422 ? "http://www.webdav.org/specs/rfc2518.html#STATUS_422"
                : "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#"
                + RFC_ANCHORS.getOrDefault(status, status >= 500 ? "sec10.5" : "sec10.4");
        String html = "<html>\n<head>\n   <title>Status page</title>\n</head>\n<body>\n<h3>"
                + Http.escapeHtml(msg) + "</h3><p>You can get technical details <a href=\"" + link
                + "\">here</a>.<br>\nPlease continue your visit at our <a href=\"/\">home page</a>.\n</p>\n"
                + "</body>\n</html>\n";
        return Http.Resp.html(status, html);
    }

    /** Tomcat 9's error report page, e.g. "HTTP Status 401 – Unauthorized". */
    static Http.Resp tomcat(int status, String reason, String message, String description) {
        String title = "HTTP Status " + status + " \u2013 " + reason;
        String html = "<!doctype html><html lang=\"en\"><head><title>" + title + "</title><style type=\"text/css\">"
                + "body {font-family:Tahoma,Arial,sans-serif;} h1, h2, h3, b {color:white;background-color:#525D76;}"
                + " h1 {font-size:22px;} h2 {font-size:16px;} h3 {font-size:14px;} p {font-size:12px;} "
                + "a {color:black;} .line {height:1px;background-color:#525D76;border:none;}</style></head><body>"
                + "<h1>" + title + "</h1><hr class=\"line\" /><p><b>Type</b> Status Report</p>"
                + (message == null || message.isEmpty() ? "" : "<p><b>Message</b> " + Http.escapeHtml(message)
                + "</p>")
                + "<p><b>Description</b> " + description + "</p><hr class=\"line\" />"
                + "<h3>Apache Tomcat/9.0.108</h3></body></html>";
        return new Http.Resp(status, "text/html;charset=utf-8", html.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of());
    }

    static Http.Resp unauthorized(String message) {
        return tomcat(401, "Unauthorized", message, "The request has not been applied to the target resource "
                + "because it lacks valid authentication credentials for that resource.");
    }

    static String loginPage() {
        return "<!DOCTYPE html>\n<html>\n<head><title>XNAT</title></head>\n<body id=\"login\">\n"
                + "<form name=\"form1\" method=\"post\" action=\"/login\" id=\"login_form\">\n"
                + "<input type=\"text\" name=\"username\" id=\"username\"/>\n"
                + "<input type=\"password\" name=\"password\" id=\"password\"/>\n"
                + "<button class=\"submit\" type=\"submit\" id=\"loginButton\">Login</button>\n</form>\n"
                + "</body>\n</html>\n";
    }

    static String report(String title, Map<String, String> fields) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html>\n<head><title>XNAT -- ")
                .append(Http.escapeHtml(title)).append("</title></head>\n<body>\n<h2>")
                .append(Http.escapeHtml(title)).append("</h2>\n<table>\n");
        fields.forEach((k, v) -> {
            if (v != null) {
                sb.append("<tr><th>").append(Http.escapeHtml(k)).append("</th><td>").append(Http.escapeHtml(v))
                        .append("</td></tr>\n");
            }
        });
        return sb.append("</table>\n</body>\n</html>\n").toString();
    }
}
