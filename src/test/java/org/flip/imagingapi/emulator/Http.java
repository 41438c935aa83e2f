package org.flip.imagingapi.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Internal HTTP plumbing: request/response values, routing, JSON and HTML rendering helpers. */
final class Http {
    private Http() {
    }

    static final ObjectMapper MAPPER = new ObjectMapper();

    static final String JSON = "application/json;charset=UTF-8";
    static final String TEXT = "text/plain;charset=UTF-8";
    static final String HTML = "text/html;charset=UTF-8";
    static final String XML = "text/xml;charset=UTF-8";

    /** Who may call a route. */
    enum AuthMode { OPEN, SESSION_ENDPOINT, REQUIRED }

    @FunctionalInterface
    interface Handler {
        Resp handle(Req r) throws Exception;
    }

    /** Thrown by handlers to short-circuit with an error response. */
    static final class Halt extends RuntimeException {
        final transient Resp resp;

        Halt(Resp resp) {
            super(null, null, false, false);
            this.resp = resp;
        }
    }

    /** A parsed request. {@code vars} are the decoded path template variables. */
    static final class Req {
        final String method;
        final List<String> segments;
        final Map<String, String> query;
        final Map<String, String> vars;
        final Headers headers;
        final byte[] body;
        final boolean xapi;
        User user;

        Req(String method, List<String> segments, Map<String, String> query, Map<String, String> vars,
            Headers headers, byte[] body) {
            this.method = method;
            this.segments = segments;
            this.query = query;
            this.vars = vars;
            this.headers = headers;
            this.body = body;
            this.xapi = !segments.isEmpty() && segments.get(0).equals("xapi");
        }

        String q(String name) {
            return query.get(name);
        }

        boolean has(String name) {
            return query.containsKey(name);
        }

        String var(String name) {
            return vars.get(name);
        }

        String header(String name) {
            return headers.getFirst(name);
        }

        String contentType() {
            String ct = headers.getFirst("Content-Type");
            return ct == null ? "" : ct.toLowerCase(java.util.Locale.ROOT);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** An error in the family's style: Restlet HTML status page on /data, text/plain on /xapi. */
        Resp error(int status, String message) {
            return xapi ? Resp.text(status, message == null ? "" : message) : Pages.statusPage(status, message);
        }

        Halt halt(int status, String message) {
            return new Halt(error(status, message));
        }
    }

    /** A response: status, content type (null = no body), body bytes and extra headers. */
    record Resp(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Resp empty(int status) {
            return new Resp(status, null, new byte[0], Map.of());
        }

        static Resp text(int status, String text) {
            return new Resp(status, TEXT, text.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Resp html(int status, String html) {
            return new Resp(status, HTML, html.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Resp xml(int status, String xml) {
            return new Resp(status, XML, xml.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Resp json(int status, byte[] json) {
            return new Resp(status, JSON, json, Map.of());
        }

        static Resp json(int status, Object value) {
            try {
                return json(status, MAPPER.writeValueAsBytes(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Resp withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Resp(status, contentType, body, Collections.unmodifiableMap(h));
        }
    }

    /** A route: method + template ({@code {x}} = one decoded segment). The operation name is "METHOD template". */
    record Route(String method, String template, String[] segs, int literals, AuthMode auth, Handler handler) {
        String op() {
            return method + " " + template;
        }
    }

    record Match(Route route, Map<String, String> vars) {
    }

    /** Linear router choosing the candidate with most literal segments. */
    static final class Router {
        private final Map<Integer, List<Route>> byLength = new HashMap<>();
        private final java.util.Set<String> ops = new java.util.HashSet<>();

        boolean knows(String op) {
            return ops.contains(op);
        }

        void add(String op, AuthMode auth, Handler h) {
            int sp = op.indexOf(' ');
            String method = op.substring(0, sp);
            String template = op.substring(sp + 1);
            String[] segs = template.substring(1).split("/");
            int literals = 0;
            for (String s : segs) {
                if (!s.startsWith("{")) {
                    literals++;
                }
            }
            ops.add(op);
            byLength.computeIfAbsent(segs.length, k -> new ArrayList<>())
                    .add(new Route(method, template, segs, literals, auth, h));
        }

        /** Returns the match, or null; {@code methodMismatch[0]} is set when only another method matched. */
        Match match(String method, List<String> segments, boolean[] methodMismatch) {
            List<Route> candidates = byLength.get(segments.size());
            if (candidates == null) {
                return null;
            }
            Route best = null;
            for (Route r : candidates) {
                if (r.literals() > (best == null ? -1 : best.literals()) && matches(r, segments)) {
                    if (r.method().equals(method)) {
                        best = r;
                    } else {
                        methodMismatch[0] = true;
                    }
                }
            }
            if (best == null) {
                return null;
            }
            Map<String, String> vars = new HashMap<>();
            for (int i = 0; i < best.segs().length; i++) {
                String s = best.segs()[i];
                if (s.startsWith("{")) {
                    vars.put(s.substring(1, s.length() - 1), segments.get(i));
                }
            }
            return new Match(best, vars);
        }

        private static boolean matches(Route r, List<String> segments) {
            for (int i = 0; i < r.segs().length; i++) {
                String s = r.segs()[i];
                if (!s.startsWith("{") && !s.equals(segments.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Splits the raw path and percent-decodes each segment, so {@code %2F} stays inside its segment. */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        if (rawPath == null) {
            return out;
        }
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(decodePathSegment(s));
            }
        }
        return out;
    }

    static String decodePathSegment(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        // URLDecoder turns '+' into ' ', which is wrong for paths: protect it first.
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static Map<String, String> query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    // ------------------------------------------------------------------ JSON helpers

    /** Writes the XNAT listing shape; every value a string, nulls as "". */
    static byte[] resultSet(List<Map<String, String>> rows, Map<String, String> extra) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256 + rows.size() * 160);
            try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeObjectFieldStart("ResultSet");
                g.writeArrayFieldStart("Result");
                for (Map<String, String> row : rows) {
                    g.writeStartObject();
                    for (Map.Entry<String, String> e : row.entrySet()) {
                        g.writeStringField(e.getKey(), e.getValue() == null ? "" : e.getValue());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                for (Map.Entry<String, String> e : extra.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] csv(List<Map<String, String>> rows, List<String> columns) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", columns)).append('\n');
        for (Map<String, String> row : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                String v = row.getOrDefault(c, "");
                v = v == null ? "" : v;
                cells.add(v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One ItemJSONBuilder item: {children, meta, data_fields}; null data fields are left out. */
    static ObjectNode item(String xsiType, long createEventId, Map<String, Object> dataFields,
                           List<ObjectNode> children) {
        ObjectNode item = MAPPER.createObjectNode();
        ArrayNode ch = item.putArray("children");
        children.forEach(ch::add);
        ObjectNode meta = item.putObject("meta");
        meta.put("create_event_id", createEventId);
        meta.put("xsi:type", xsiType);
        meta.put("isHistory", false);
        ObjectNode df = item.putObject("data_fields");
        dataFields.forEach((k, v) -> {
            if (v instanceof String s) {
                df.put(k, s);
            } else if (v instanceof Integer i) {
                df.put(k, i);
            } else if (v instanceof Long l) {
                df.put(k, l);
            } else if (v != null) {
                df.put(k, v.toString());
            }
        });
        return item;
    }

    static ObjectNode child(String field, List<ObjectNode> items) {
        ObjectNode c = MAPPER.createObjectNode();
        c.put("field", field);
        ArrayNode arr = c.putArray("items");
        items.forEach(arr::add);
        return c;
    }

    static ObjectNode items(ObjectNode item) {
        ObjectNode root = MAPPER.createObjectNode();
        root.putArray("items").add(item);
        return root;
    }

    static JsonNode parseJson(Req r) {
        try {
            if (r.body.length == 0) {
                throw r.halt(400, "Request body is missing");
            }
            return MAPPER.readTree(r.body);
        } catch (IOException e) {
            throw r.halt(400, "JSON parse error: " + firstLine(e.getMessage()));
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String escapeHtml(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
