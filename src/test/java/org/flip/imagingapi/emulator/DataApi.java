package org.flip.imagingapi.emulator;

import static org.flip.imagingapi.emulator.Http.Resp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** The Restlet-style {@code /data} resources. */
final class DataApi {

    static final Pattern PROJECT_ID = Pattern.compile("^[A-Za-z0-9_-]+$");
    static final Set<String> HIDDEN_IN_PROJECT_LISTING = Set.of("xnat:dxSessionData");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final Set<String> NON_FILTER_PARAMS = Set.of("format", "columns", "sortBy", "sortOrder", "offset",
            "limit", "fields", "removeFiles", "accessibility", "includeHistory", "inbody", "req_format", "xsiType",
            "allDataOverride", "event_reason", "event_type", "event_action", "sendemail");

    private static final List<String> PROJECT_COLUMNS =
            List.of("ID", "secondary_ID", "name", "description", "pi_firstname", "pi_lastname");
    private static final Set<String> PROJECT_SHORTCUTS = Set.of("ID", "secondary_ID", "name", "description",
            "keywords", "alias", "pi_firstname", "pi_lastname", "note");
    private static final List<String> SUBJECT_COLUMNS = List.of("ID", "project", "label", "insert_date",
            "insert_user");
    private static final Set<String> SUBJECT_SHORTCUTS = Set.of("ID", "project", "label", "insert_date",
            "insert_user");
    private static final List<String> EXPERIMENT_COLUMNS = List.of("ID", "project", "date", "xsiType", "label",
            "insert_date");
    private static final Set<String> EXPERIMENT_SHORTCUTS = Set.of("ID", "project", "date", "xsiType", "label",
            "insert_date", "insert_user", "subject_ID", "subject_label", "UID", "modality");

    private final XnatEmulator emu;
    private final EmulatorState state;

    DataApi(XnatEmulator emu) {
        this.emu = emu;
        this.state = emu.state();
    }

    void register(Http.Router r) {
        r.add(XnatOps.LIST_PROJECTS, Http.AuthMode.REQUIRED, this::listProjects);
        r.add(XnatOps.CREATE_PROJECT, Http.AuthMode.REQUIRED, this::createProject);
        r.add(XnatOps.GET_PROJECT, Http.AuthMode.REQUIRED, this::getProject);
        r.add(XnatOps.PUT_PROJECT, Http.AuthMode.REQUIRED, this::putProject);
        r.add(XnatOps.DELETE_PROJECT, Http.AuthMode.REQUIRED, this::deleteProject);
        r.add(XnatOps.SET_PREARCHIVE_CODE, Http.AuthMode.REQUIRED, this::setPrearchiveCode);
        r.add(XnatOps.GET_PREARCHIVE_CODE, Http.AuthMode.REQUIRED, this::getPrearchiveCode);
        r.add(XnatOps.LIST_SUBJECTS, Http.AuthMode.REQUIRED, this::listSubjects);
        r.add(XnatOps.LIST_PROJECT_EXPERIMENTS, Http.AuthMode.REQUIRED, this::listProjectExperiments);
        r.add(XnatOps.GET_PROJECT_EXPERIMENT, Http.AuthMode.REQUIRED, this::getProjectExperiment);
        r.add(XnatOps.LIST_EXPERIMENTS, Http.AuthMode.REQUIRED, this::listExperiments);
        r.add(XnatOps.GET_EXPERIMENT, Http.AuthMode.REQUIRED, this::getExperiment);
        r.add(XnatOps.LIST_PROJECT_USERS, Http.AuthMode.REQUIRED, this::listProjectUsers);
        r.add(XnatOps.ADD_PROJECT_USER, Http.AuthMode.REQUIRED, this::addProjectUser);
        r.add(XnatOps.REMOVE_PROJECT_USER, Http.AuthMode.REQUIRED, this::removeProjectUser);
        r.add(XnatOps.ISSUE_TOKEN_FOR_USER, Http.AuthMode.REQUIRED, this::issueToken);
        r.add(XnatOps.ISSUE_TOKEN, Http.AuthMode.REQUIRED, this::issueOwnToken);
        r.add(XnatOps.VALIDATE_TOKEN, Http.AuthMode.REQUIRED, this::validateToken);
        r.add(XnatOps.SHOW_TOKENS_FOR_USER, Http.AuthMode.REQUIRED, this::showTokens);
        r.add(XnatOps.INVALIDATE_TOKEN, Http.AuthMode.REQUIRED, this::invalidateToken);
    }

    // ------------------------------------------------------------------ access rules

    /** Readable: site-wide readers, members of any group, or public projects. */
    static boolean canRead(EmulatorState st, User u, Project p) {
        return u.canReadAll() || "public".equals(p.accessibility()) || st.isMemberUnlocked(p.id(), u.username());
    }

    /** Listed (and GET-able): readable, or protected (visible to every logged-in user, data hidden). */
    static boolean canList(EmulatorState st, User u, Project p) {
        return canRead(st, u, p) || "protected".equals(p.accessibility());
    }

    /** Owner-level ("delete") access. */
    static boolean isOwner(EmulatorState st, User u, Project p) {
        return u.isSiteAdmin() || u.isAllDataAdmin()
                || st.membership(p.id(), u.username()).orElse(null) == ProjectGroup.OWNERS;
    }

    static boolean canEdit(EmulatorState st, User u, Project p) {
        ProjectGroup g = st.membership(p.id(), u.username()).orElse(null);
        return u.isSiteAdmin() || u.isAllDataAdmin() || g == ProjectGroup.OWNERS || g == ProjectGroup.MEMBERS;
    }

    private Optional<Project> listable(Http.Req r, String idOrAlias) {
        return state.readLocked(() -> {
            Project p = state.findProjectUnlocked(idOrAlias);
            return Optional.ofNullable(p != null && canList(state, r.user, p) ? p : null);
        });
    }

    // ------------------------------------------------------------------ generic listing

    /** Filters (comma = OR, '*'/'%' = LIKE, exact otherwise, case-sensitive), sorting, paging, columns. */
    private Resp table(Http.Req r, List<Map<String, String>> fullRows, List<String> defaultColumns,
                       Set<String> shortcuts, boolean applyFilters, Map<String, String> extra, boolean omitTotalWhenPaged,
                       String uriKey) {
        List<Map<String, String>> rows = fullRows;
        if (applyFilters) {
            List<Predicate<Map<String, String>>> filters = filters(r, shortcuts);
            if (!filters.isEmpty()) {
                rows = new ArrayList<>();
                outer:
                for (Map<String, String> row : fullRows) {
                    for (Predicate<Map<String, String>> f : filters) {
                        if (!f.test(row)) {
                            continue outer;
                        }
                    }
                    rows.add(row);
                }
            }
        }
        List<String> columns = columns(r, defaultColumns, shortcuts);
        String sortBy = r.q("sortBy");
        if (sortBy != null && !sortBy.isBlank()) {
            List<String> keys = List.of(sortBy.split(","));
            Comparator<Map<String, String>> cmp = (a, b) -> {
                for (String k : keys) {
                    int c = a.getOrDefault(k, "").compareTo(b.getOrDefault(k, ""));
                    if (c != 0) {
                        return c;
                    }
                }
                return 0;
            };
            if ("DESC".equalsIgnoreCase(r.q("sortOrder"))) {
                cmp = cmp.reversed();
            }
            rows = new ArrayList<>(rows);
            rows.sort(cmp);
        }
        boolean paged = false;
        int offset = parseIntOr(r.q("offset"), 0);
        String limitStr = r.q("limit");
        if (r.has("offset") || (limitStr != null && !"*".equals(limitStr))) {
            paged = true;
            int limit = limitStr == null || "*".equals(limitStr) ? Integer.MAX_VALUE : parseIntOr(limitStr, 0);
            int from = Math.min(Math.max(offset, 0), rows.size());
            int to = (int) Math.min((long) from + limit, rows.size());
            rows = rows.subList(from, to);
        }
        List<Map<String, String>> out = new ArrayList<>(rows.size());
        for (Map<String, String> full : rows) {
            Map<String, String> row = new LinkedHashMap<>();
            for (String c : columns) {
                row.put(c, full.get(c));
            }
            row.put("URI", full.get(uriKey));
            out.add(row);
        }
        String format = r.q("format");
        if (format != null && format.equalsIgnoreCase("csv")) {
            List<String> cols = new ArrayList<>(columns);
            cols.add("URI");
            return new Resp(200, "text/csv;charset=UTF-8", Http.csv(out, cols), Map.of());
        }
        Map<String, String> top = new LinkedHashMap<>();
        if (!(paged && omitTotalWhenPaged)) {
            top.put("totalRecords", Integer.toString(out.size()));
        }
        top.putAll(extra);
        return Resp.json(200, Http.resultSet(out, top));
    }

    private static List<String> columns(Http.Req r, List<String> defaults, Set<String> known) {
        String c = r.q("columns");
        if (c == null || c.isBlank() || "DEFAULT".equals(c)) {
            return defaults;
        }
        List<String> out = new ArrayList<>();
        for (String name : c.split(",")) {
            String n = name.trim();
            if ((known.contains(n) || defaults.contains(n)) && !out.contains(n)) {
                out.add(n); // unknown shortcut names are silently dropped, like XNAT
            }
        }
        return out;
    }

    private static List<Predicate<Map<String, String>>> filters(Http.Req r, Set<String> shortcuts) {
        List<Predicate<Map<String, String>>> out = new ArrayList<>();
        r.query.forEach((k, v) -> {
            if (NON_FILTER_PARAMS.contains(k) || !shortcuts.contains(k)) {
                return;
            }
            Predicate<String> match = valueMatcher(v);
            out.add(row -> match.test(row.get(k) == null ? "" : row.get(k)));
        });
        return out;
    }

    /** SQL-like matching of one filter value: comma-separated alternatives; '*'/'%' make a LIKE pattern. */
    static Predicate<String> valueMatcher(String raw) {
        List<Predicate<String>> alts = new ArrayList<>();
        for (String v : raw.split(",", -1)) {
            if (v.contains("*") || v.contains("%")) {
                StringBuilder re = new StringBuilder();
                for (char ch : v.toCharArray()) {
                    if (ch == '*' || ch == '%') {
                        re.append(".*");
                    } else if (ch == '_') {
                        re.append('.');
                    } else {
                        re.append(Pattern.quote(String.valueOf(ch)));
                    }
                }
                Pattern p = Pattern.compile(re.toString(), Pattern.DOTALL);
                alts.add(s -> p.matcher(s).matches());
            } else {
                alts.add(v::equals);
            }
        }
        return s -> {
            for (Predicate<String> a : alts) {
                if (a.test(s)) {
                    return true;
                }
            }
            return false;
        };
    }

    static int parseIntOr(String s, int dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    static String ts(Instant i) {
        return i == null ? null : TIMESTAMP.format(i);
    }

    // ------------------------------------------------------------------ projects

    private static Map<String, String> projectRow(Project p) {
        Map<String, String> row = new HashMap<>(16);
        row.put("ID", p.id());
        row.put("secondary_ID", p.secondaryId());
        row.put("name", p.name());
        row.put("description", p.description());
        row.put("pi_firstname", p.piFirstname());
        row.put("pi_lastname", p.piLastname());
        row.put("keywords", null);
        row.put("alias", p.aliases().isEmpty() ? null : p.aliases().get(0));
        row.put("note", null);
        row.put("URI", "/data/projects/" + p.id());
        return row;
    }

    /** Rendered default project listings keyed by state version + visibility ("*" or a username). */
    private record CachedListing(long version, java.util.concurrent.ConcurrentHashMap<String, byte[]> bodies) {
    }

    private volatile CachedListing projectListingCache = new CachedListing(-1,
            new java.util.concurrent.ConcurrentHashMap<>());

    private Resp listProjects(Http.Req r) {
        User u = r.user;
        // XNAT quirk [inf]: only ALL_DATA_ADMIN members get the shortcut filters applied.
        boolean filtersApply = u.isAllDataAdmin();
        boolean anyFilter = false;
        for (String k : r.query.keySet()) {
            if (PROJECT_SHORTCUTS.contains(k)) {
                anyFilter = true;
                break;
            }
        }
        boolean activeFilter = filtersApply && anyFilter;
        String format = r.q("format");
        boolean plainShape = (format == null || format.equalsIgnoreCase("json"))
                && (r.q("columns") == null || "DEFAULT".equals(r.q("columns")))
                && r.q("sortBy") == null && !r.has("offset") && !r.has("limit");
        if (plainShape && !activeFilter) {
            // hot path for benchmarks: the full default listing, cached until the state changes
            String key = u.canReadAll() ? "*" : u.username();
            CachedListing cache = projectListingCache;
            long version = state.version();
            if (cache.version() != version) {
                cache = new CachedListing(version, new java.util.concurrent.ConcurrentHashMap<>());
                projectListingCache = cache;
            }
            byte[] body = cache.bodies().get(key);
            if (body == null) {
                body = state.readLocked(() -> renderProjects(u, state.projectsUnlocked()));
                cache.bodies().put(key, body);
            }
            return Resp.json(200, body);
        }
        List<Map<String, String>> rows = state.readLocked(() -> {
            Collection<Project> candidates = null;
            if (activeFilter) {
                for (String f : List.of("ID", "secondary_ID", "name")) {
                    String v = r.q(f);
                    if (v != null && !v.contains(",") && !v.contains("*") && !v.contains("%")) {
                        candidates = state.lookupUnlocked(f, v);
                        break;
                    }
                }
            }
            if (candidates == null) {
                candidates = state.projectsUnlocked();
            }
            List<Map<String, String>> out = new ArrayList<>(candidates.size());
            boolean all = u.canReadAll();
            for (Project p : candidates) {
                if (all || canList(state, u, p)) {
                    out.add(projectRow(p));
                }
            }
            return out;
        });
        return table(r, rows, PROJECT_COLUMNS, PROJECT_SHORTCUTS, filtersApply, Map.of(), false, "URI");
    }

    /** Streams the default seven-column listing straight from the model (no intermediate maps). */
    private byte[] renderProjects(User u, Collection<Project> projects) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256 + projects.size() * 200);
            int count = 0;
            try (com.fasterxml.jackson.core.JsonGenerator g = Http.MAPPER.getFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeObjectFieldStart("ResultSet");
                g.writeArrayFieldStart("Result");
                boolean all = u.canReadAll();
                for (Project p : projects) {
                    if (!all && !canList(state, u, p)) {
                        continue;
                    }
                    count++;
                    g.writeStartObject();
                    g.writeStringField("ID", p.id());
                    g.writeStringField("secondary_ID", nz(p.secondaryId()));
                    g.writeStringField("name", nz(p.name()));
                    g.writeStringField("description", nz(p.description()));
                    g.writeStringField("pi_firstname", nz(p.piFirstname()));
                    g.writeStringField("pi_lastname", nz(p.piLastname()));
                    g.writeStringField("URI", "/data/projects/" + p.id());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeStringField("totalRecords", Integer.toString(count));
                g.writeEndObject();
                g.writeEndObject();
            }
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private Resp getProject(Http.Req r) {
        Project p = listable(r, r.var("p")).orElseThrow(() -> r.halt(404, "Unable to find the specified experiment."));
        String format = format(r);
        if ("json".equals(format)) {
            Map<String, Object> df = new LinkedHashMap<>();
            df.put("secondary_ID", p.secondaryId());
            df.put("name", p.name());
            df.put("description", p.description());
            df.put("ID", p.id());
            List<ObjectNode> children = new ArrayList<>();
            if (!p.aliases().isEmpty()) {
                List<ObjectNode> al = new ArrayList<>();
                for (String a : p.aliases()) {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("alias", a);
                    f.put("xnat_projectdata_alias_id", Math.floorMod(a.hashCode(), 100000));
                    al.add(Http.item("xnat:projectData_alias", 0, f, List.of()));
                }
                children.add(Http.child("aliases/alias", al));
            }
            if (p.piFirstname() != null || p.piLastname() != null) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("firstname", p.piFirstname());
                f.put("lastname", p.piLastname());
                f.put("xnat_investigatordata_id", Math.floorMod(p.id().hashCode(), 100000));
                children.add(Http.child("PI", List.of(Http.item("xnat:investigatorData", eventId(p.id()), f,
                        List.of()))));
            }
            return Resp.json(200, Http.items(Http.item("xnat:projectData", eventId(p.id()), df, children)));
        }
        if ("xml".equals(format)) {
            StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                    .append("<xnat:Project ID=\"").append(Http.escapeHtml(p.id())).append("\" secondary_ID=\"")
                    .append(Http.escapeHtml(p.secondaryId())).append("\" xmlns:xnat=\"http://nrg.wustl.edu/xnat\">")
                    .append("<xnat:name>").append(Http.escapeHtml(p.name())).append("</xnat:name>");
            if (p.description() != null) {
                sb.append("<xnat:description>").append(Http.escapeHtml(p.description())).append("</xnat:description>");
            }
            return Resp.xml(200, sb.append("</xnat:Project>\n").toString());
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("ID", p.id());
        f.put("Running Title", p.secondaryId());
        f.put("Title", p.name());
        f.put("Description", p.description());
        f.put("Accessibility", p.accessibility());
        return Resp.html(200, Pages.report("Project Details: " + p.id(), f));
    }

    /** Single items: format param wins; else XML only if asked for; else HTML (XNAT's first variant). */
    private static String format(Http.Req r) {
        String f = r.q("format");
        if (f != null) {
            return f.toLowerCase(Locale.ROOT);
        }
        String accept = r.header("Accept");
        if (accept != null && accept.contains("xml") && !accept.contains("html")) {
            return "xml";
        }
        return "html";
    }

    static long eventId(String id) {
        return Math.floorMod(id.hashCode(), 900000) + 1000;
    }

    /** Fields read from a projectData document or the query string. */
    private record ProjectFields(String id, String secondaryId, String name, String description, String piFirst,
                                 String piLast, List<String> aliases) {
    }

    private ProjectFields readProjectFields(Http.Req r, boolean requireBody) {
        String ct = r.contentType();
        boolean xmlBody = ct.contains("xml") || "true".equals(r.q("inbody")) || "xml".equals(r.q("req_format"));
        Map<String, String> f = new HashMap<>();
        List<String> aliases = new ArrayList<>();
        if (xmlBody && r.body.length > 0) {
            parseProjectXml(r, f, aliases);
        } else if (requireBody && !r.has("ID") && !r.has("name") && !r.has("secondary_ID")) {
            throw r.halt(417, "Need POST Contents");
        }
        for (String k : List.of("ID", "secondary_ID", "name", "description")) {
            if (r.q(k) != null) {
                f.put(k, r.q(k));
            }
        }
        if (r.q("alias") != null) {
            aliases.add(r.q("alias"));
        }
        return new ProjectFields(trimToNull(f.get("ID")), trimToNull(f.get("secondary_ID")),
                trimToNull(f.get("name")), f.get("description"), f.get("PI/firstname"), f.get("PI/lastname"),
                aliases);
    }

    private static String trimToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static final XMLInputFactory XML_FACTORY = newXmlFactory();

    private static XMLInputFactory newXmlFactory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return f;
    }

    /** Lenient like XNAT's SAX reader: root by local name, ID/secondary_ID as attributes or child elements. */
    private static void parseProjectXml(Http.Req r, Map<String, String> f, List<String> aliases) {
        XMLStreamReader x = null;
        try {
            x = XML_FACTORY.createXMLStreamReader(new ByteArrayInputStream(r.body));
            int depth = 0;
            Deque path = new Deque();
            StringBuilder text = new StringBuilder();
            while (x.hasNext()) {
                int ev = x.next();
                switch (ev) {
                    case XMLStreamConstants.DTD -> throw new XMLStreamException("DOCTYPE is disallowed");
                    case XMLStreamConstants.ENTITY_REFERENCE ->
                            throw new XMLStreamException("Entity references are not allowed: " + x.getLocalName());
                    case XMLStreamConstants.START_ELEMENT -> {
                        depth++;
                        String local = x.getLocalName();
                        if (depth == 1) {
                            if (!local.equals("projectData") && !local.equals("Project")) {
                                throw new XMLStreamException("Unknown root element " + local
                                        + " (expected xnat:projectData)");
                            }
                            for (int i = 0; i < x.getAttributeCount(); i++) {
                                String an = x.getAttributeLocalName(i);
                                if (an.equals("ID") || an.equals("secondary_ID")) {
                                    f.put(an, x.getAttributeValue(i));
                                }
                            }
                        }
                        path.push(local);
                        text.setLength(0);
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                            text.append(x.getText());
                    case XMLStreamConstants.END_ELEMENT -> {
                        String p = path.joined();
                        if (depth == 2 && Set.of("ID", "secondary_ID", "name", "description", "keywords")
                                .contains(x.getLocalName())) {
                            f.put(x.getLocalName(), text.toString());
                        } else if (p.equals("PI/firstname") || p.equals("PI/lastname")) {
                            f.put(p, text.toString());
                        } else if (p.equals("aliases/alias")) {
                            aliases.add(text.toString().trim());
                        }
                        path.pop();
                        depth--;
                        text.setLength(0);
                    }
                    default -> {
                    }
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            if (e instanceof Http.Halt h) {
                throw h;
            }
            throw r.halt(422, "An error occurred parsing the XML: " + Http.firstLine(e.getMessage()));
        } finally {
            if (x != null) {
                try {
                    x.close();
                } catch (XMLStreamException ignored) {
                    // nothing to do
                }
            }
        }
    }

    /** Element path below the root, e.g. "PI/firstname". */
    private static final class Deque {
        private final List<String> names = new ArrayList<>();

        void push(String n) {
            names.add(n);
        }

        void pop() {
            names.remove(names.size() - 1);
        }

        String joined() {
            return names.size() <= 1 ? "" : String.join("/", names.subList(1, names.size()));
        }
    }

    private Project newProject(Http.Req r, ProjectFields pf) {
        String acc = r.q("accessibility");
        if (acc == null || !Set.of("private", "protected", "public").contains(acc)) {
            acc = "protected";
        }
        return new Project(pf.id(), pf.secondaryId() == null ? pf.id() : pf.secondaryId(),
                pf.name() == null ? pf.id() : pf.name(), pf.description(), pf.piFirst(), pf.piLast(), acc,
                emu.defaultPrearchiveCode(), pf.aliases(), r.user.username(), Instant.now());
    }

    private Resp createProject(Http.Req r) {
        ProjectFields pf = readProjectFields(r, true);
        if (pf.id() == null) {
            throw r.halt(417, "Requires XNAT ProjectData ID");
        }
        if (!PROJECT_ID.matcher(pf.id()).matches()) {
            throw r.halt(417, "Invalid character in project ID.");
        }
        Project p = newProject(r, pf);
        try {
            state.addProject(p);
        } catch (IllegalStateException e) {
            throw r.halt(409, "Project already exists.");
        }
        String url = emu.siteUrl() + "/data/projects/" + p.id();
        return Resp.text(200, url).withHeader("Location", url);
    }

    /** PUT create-or-update, with the PUT-only uniqueness and deleted-ID checks. */
    private Resp putProject(Http.Req r) {
        String urlId = r.var("p");
        ProjectFields pf = readProjectFields(r, false);
        if (pf.id() != null && !pf.id().equalsIgnoreCase(urlId)) {
            throw r.halt(417, "The project ID for the REST call must match the value in submitted request body.");
        }
        if (!PROJECT_ID.matcher(urlId).matches() && !"true".equals(r.q("testHyphen"))) {
            throw r.halt(417, "Invalid character in project ID.");
        }
        Optional<Project> existing = state.project(urlId);
        if (existing.isEmpty()) {
            if (state.deletedProjectIds().contains(urlId)) {
                throw r.halt(403, "Project '" + urlId + "' was used in a previously deleted project and cannot be "
                        + "reused.");
            }
            Project p = newProject(r, new ProjectFields(urlId, pf.secondaryId(), pf.name(), pf.description(),
                    pf.piFirst(), pf.piLast(), pf.aliases()));
            List<String> conflicts = state.conflicts(p);
            if (!conflicts.isEmpty()) {
                throw r.halt(409, "Requested new project conflicts with existing projects: "
                        + String.join(", ", conflicts));
            }
            try {
                state.addProject(p);
            } catch (IllegalStateException e) {
                throw r.halt(409, "Project already exists.");
            }
            return Resp.empty(200);
        }
        Project old = existing.get();
        if (!isOwner(state, r.user, old)) {
            throw r.halt(403, "Specified user account has insufficient privileges for projects in the "
                    + old.id() + " project.");
        }
        Project updated = new Project(old.id(), pf.secondaryId() == null ? old.secondaryId() : pf.secondaryId(),
                pf.name() == null ? old.name() : pf.name(),
                pf.description() == null ? old.description() : pf.description(),
                pf.piFirst() == null ? old.piFirstname() : pf.piFirst(),
                pf.piLast() == null ? old.piLastname() : pf.piLast(),
                r.q("accessibility") == null ? old.accessibility() : r.q("accessibility"), old.prearchiveCode(),
                pf.aliases().isEmpty() ? old.aliases() : pf.aliases(), old.insertUser(), old.insertDate());
        List<String> conflicts = state.conflicts(updated);
        if (!conflicts.isEmpty()) {
            throw r.halt(409, "Requested new project conflicts with existing projects: "
                    + String.join(", ", conflicts));
        }
        state.updateProject(updated);
        return Resp.empty(200);
    }

    private Resp deleteProject(Http.Req r) {
        Project p = state.project(r.var("p")).orElse(null);
        if (p == null || !canRead(state, r.user, p)) {
            // XNAT: not found or not readable -> 400 with no description
            throw r.halt(400, null);
        }
        if (!isOwner(state, r.user, p)) {
            throw r.halt(403, "User account doesn't have permission to delete this project.");
        }
        state.deleteProject(p.id());
        return Resp.empty(200);
    }

    private Resp setPrearchiveCode(Http.Req r) {
        Project p = state.project(r.var("p")).orElse(null);
        if (p == null || !canRead(state, r.user, p)) {
            throw r.halt(400, "You can't set the 'prearchive_code' attribute without specifying the project "
                    + "that you want to set it for.");
        }
        String raw = r.var("code");
        int code;
        if ("true".equalsIgnoreCase(raw)) {
            code = 1;
        } else if ("false".equalsIgnoreCase(raw)) {
            code = 0;
        } else {
            try {
                code = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw r.halt(400, "The submitted code " + raw + " is invalid: must be an integer.");
            }
        }
        if (!isOwner(state, r.user, p)) {
            throw r.halt(403, "Specified user account has insufficient privileges for projects in the "
                    + p.id() + " project.");
        }
        state.setPrearchiveCode(p.id(), code);
        return Resp.empty(200);
    }

    private Resp getPrearchiveCode(Http.Req r) {
        Project p = listable(r, r.var("p")).orElseThrow(() -> r.halt(404, "Unable to find the specified experiment."));
        return Resp.text(200, Integer.toString(p.prearchiveCode()));
    }

    // ------------------------------------------------------------------ subjects & experiments

    private Project readableOrHalt(Http.Req r, String notFoundMessage) {
        Project p = listable(r, r.var("p")).orElseThrow(() -> r.halt(404, notFoundMessage));
        if (!canRead(state, r.user, p)) {
            throw r.halt(403, "Specified user account has insufficient privileges for subjects in the "
                    + p.id() + " project.");
        }
        return p;
    }

    private Resp listSubjects(Http.Req r) {
        Project p = readableOrHalt(r, "Unable to identify project " + r.var("p"));
        List<Map<String, String>> rows = new ArrayList<>();
        for (Subject s : state.subjects(p.id())) {
            Map<String, String> row = new HashMap<>();
            row.put("ID", s.id());
            row.put("project", s.project());
            row.put("label", s.label());
            row.put("insert_date", ts(s.insertDate()));
            row.put("insert_user", s.insertUser());
            row.put("URI", "/data/subjects/" + s.id());
            rows.add(row);
        }
        return table(r, rows, SUBJECT_COLUMNS, SUBJECT_SHORTCUTS, true, Map.of(), true, "URI");
    }

    private Map<String, String> experimentRow(Experiment e) {
        Map<String, String> row = new HashMap<>(20);
        row.put("ID", e.id());
        row.put("project", e.project());
        row.put("date", e.date());
        row.put("xsiType", e.xsiType());
        row.put("label", e.label());
        row.put("insert_date", ts(e.insertDate()));
        row.put("insert_user", e.insertUser());
        row.put("subject_ID", e.subjectId());
        row.put("UID", e.uid());
        row.put("modality", e.modality());
        row.put("URI", "/data/experiments/" + e.id());
        return row;
    }

    private void addSubjectLabels(List<Map<String, String>> rows) {
        for (Map<String, String> row : rows) {
            String sid = row.get("subject_ID");
            row.put("subject_label", sid == null ? null : state.subject(sid).map(Subject::label).orElse(null));
        }
    }

    private Resp listExperiments(Http.Req r) {
        User u = r.user;
        String projectFilter = r.q("project");
        List<Map<String, String>> rows = state.readLocked(() -> {
            Collection<Experiment> candidates;
            if (projectFilter != null && !projectFilter.contains(",") && !projectFilter.contains("*")
                    && !projectFilter.contains("%")) {
                candidates = state.experimentsOfProjectUnlocked(projectFilter);
            } else {
                candidates = state.experimentsUnlocked();
            }
            Map<String, Boolean> readable = new HashMap<>();
            List<Map<String, String>> out = new ArrayList<>();
            for (Experiment e : candidates) {
                boolean ok = u.canReadAll() || readable.computeIfAbsent(e.project(), pid -> {
                    Project p = state.findProjectUnlocked(pid);
                    return p != null && canRead(state, u, p);
                });
                if (ok) {
                    out.add(experimentRow(e));
                }
            }
            return out;
        });
        List<String> cols = EXPERIMENT_COLUMNS;
        if (r.q("xsiType") != null) {
            cols = new ArrayList<>(EXPERIMENT_COLUMNS);
            cols.add("subject_ID");
            cols.add("subject_label");
            addSubjectLabels(rows);
        } else if (r.q("columns") != null && r.q("columns").contains("subject_label")) {
            addSubjectLabels(rows);
        }
        Set<String> shortcuts = new java.util.HashSet<>(EXPERIMENT_SHORTCUTS);
        Resp resp = table(r, rows, cols, shortcuts, true, Map.of("title", "Matching experiments"), true, "URI");
        return resp;
    }

    private Resp listProjectExperiments(Http.Req r) {
        Project p = readableOrHalt(r, "Unable to identify project " + r.var("p"));
        List<Map<String, String>> rows = new ArrayList<>();
        for (Experiment e : state.experiments(p.id())) {
            // XNAT quirk: the project-scoped listing drops data types not secured in the project (e.g. DX).
            if (HIDDEN_IN_PROJECT_LISTING.contains(e.xsiType())) {
                continue;
            }
            Map<String, String> row = experimentRow(e);
            row.put("xnat:subjectassessordata/id", e.id());
            rows.add(row);
        }
        List<String> cols = new ArrayList<>(EXPERIMENT_COLUMNS);
        cols.add("xnat:subjectassessordata/id");
        return table(r, rows, cols, EXPERIMENT_SHORTCUTS, true, Map.of(), true, "URI");
    }

    private Resp getProjectExperiment(Http.Req r) {
        String key = r.var("e");
        Experiment e = state.experiment(key).filter(x -> readable(r.user, x)).orElse(null);
        if (e == null) {
            // then by label within the project in the URL
            Project p = state.project(r.var("p")).orElse(null);
            if (p != null && canRead(state, r.user, p)) {
                e = state.experimentByLabel(p.id(), key).orElse(null);
            }
        }
        if (e == null) {
            throw r.halt(404, "Unable to find the specified experiment.");
        }
        return renderExperiment(r, e);
    }

    private Resp getExperiment(Http.Req r) {
        Experiment e = state.experiment(r.var("e")).filter(x -> readable(r.user, x))
                .orElseThrow(() -> r.halt(404, "Unable to find the specified experiment."));
        return renderExperiment(r, e);
    }

    private boolean readable(User u, Experiment e) {
        return state.project(e.project()).map(p -> canRead(state, u, p)).orElse(u.canReadAll());
    }

    private Resp renderExperiment(Http.Req r, Experiment e) {
        String format = format(r);
        if ("json".equals(format)) {
            return Resp.json(200, Http.items(experimentItem(e)));
        }
        if ("xml".equals(format)) {
            String type = e.xsiType() == null ? "xnat:experimentData" : e.xsiType();
            String el = type.endsWith("Data") ? type.substring(0, type.length() - 4) : type;
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + el + " ID=\"" + Http.escapeHtml(e.id())
                    + "\" project=\"" + Http.escapeHtml(e.project()) + "\" label=\"" + Http.escapeHtml(e.label())
                    + "\" xmlns:xnat=\"http://nrg.wustl.edu/xnat\">"
                    + (e.date() == null ? "" : "<xnat:date>" + e.date() + "</xnat:date>")
                    + "<xnat:subject_ID>" + Http.escapeHtml(e.subjectId()) + "</xnat:subject_ID></" + el + ">\n";
            return Resp.xml(200, xml);
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("ID", e.id());
        f.put("Label", e.label());
        f.put("Project", e.project());
        f.put("Subject", e.subjectId());
        f.put("Date", e.date());
        f.put("Type", e.xsiType());
        return Resp.html(200, Pages.report("Session: " + e.label(), f));
    }

    static ObjectNode experimentItem(Experiment e) {
        Map<String, Object> df = new LinkedHashMap<>();
        df.put("ID", e.id());
        df.put("label", e.label());
        df.put("project", e.project());
        df.put("subject_ID", e.subjectId());
        df.put("date", e.date());
        df.put("UID", e.uid());
        df.put("modality", e.modality());
        List<ObjectNode> children = new ArrayList<>();
        if (!e.scans().isEmpty()) {
            List<ObjectNode> scans = new ArrayList<>();
            String scanType = scanXsiType(e.xsiType());
            int n = 0;
            for (Scan s : e.scans()) {
                n++;
                int scanPk = Math.floorMod((e.id() + "/" + s.id()).hashCode(), 1000000);
                Map<String, Object> sf = new LinkedHashMap<>();
                sf.put("ID", s.id());
                sf.put("type", s.type());
                sf.put("series_description", s.seriesDescription());
                sf.put("UID", s.uid());
                sf.put("frames", s.frames());
                sf.put("quality", "usable");
                sf.put("image_session_ID", e.id());
                sf.put("xnat_imagescandata_id", scanPk);
                List<ObjectNode> files = new ArrayList<>();
                int k = 0;
                for (String res : s.resources()) {
                    Map<String, Object> rf = new LinkedHashMap<>();
                    rf.put("label", res);
                    rf.put("format", res);
                    rf.put("content", "DICOM".equals(res) ? "RAW" : res);
                    rf.put("xnat_abstractresource_id", scanPk * 10 + (k++));
                    files.add(Http.item("xnat:resourceCatalog", eventId(e.id()), rf, List.of()));
                }
                List<ObjectNode> scanChildren = files.isEmpty() ? List.of() : List.of(Http.child("file", files));
                scans.add(Http.item(scanType, eventId(e.id()) + n, sf, scanChildren));
            }
            children.add(Http.child("scans/scan", scans));
        }
        return Http.item(e.xsiType() == null ? "xnat:experimentData" : e.xsiType(), eventId(e.id()), df, children);
    }

    static String scanXsiType(String sessionType) {
        if (sessionType != null && sessionType.endsWith("SessionData")) {
            return sessionType.substring(0, sessionType.length() - "SessionData".length()) + "ScanData";
        }
        return "xnat:otherDicomScanData";
    }

    // ------------------------------------------------------------------ membership

    private List<Map<String, String>> memberRows(String projectId) {
        return state.readLocked(() -> {
            List<Map<String, String>> rows = new ArrayList<>();
            state.membersUnlocked(projectId).forEach((username, g) -> {
                User u = state.userUnlocked(username);
                if (u == null || !u.enabled()) {
                    return; // disabled users are hidden
                }
                Map<String, String> row = new LinkedHashMap<>();
                row.put("GROUP_ID", g.groupId(projectId));
                row.put("displayname", g.displayName());
                row.put("login", u.username());
                row.put("firstname", u.firstName());
                row.put("lastname", u.lastName());
                row.put("email", u.email());
                rows.add(row);
            });
            rows.sort(Comparator.comparing((Map<String, String> m) -> m.get("GROUP_ID")).reversed()
                    .thenComparing(m -> m.get("login")));
            return rows;
        });
    }

    private Resp memberTable(int status, String projectId) {
        List<Map<String, String>> rows = memberRows(projectId);
        Map<String, String> top = new LinkedHashMap<>();
        top.put("title", "Projects");
        top.put("totalRecords", Integer.toString(rows.size()));
        return Resp.json(status, Http.resultSet(rows, top));
    }

    private Resp listProjectUsers(Http.Req r) {
        Project p = listable(r, r.var("p")).orElseThrow(() -> r.halt(404,
                "The project ID " + r.var("p") + " does not appear to be a valid project ID."));
        return memberTable(200, p.id());
    }

    private Resp addProjectUser(Http.Req r) {
        Project p = listable(r, r.var("p")).orElseThrow(() -> r.halt(404,
                "The project ID " + r.var("p") + " does not appear to be a valid project ID."));
        ProjectGroup g = ProjectGroup.resolve(p.id(), r.var("g"))
                .orElseThrow(() -> r.halt(404, "Unable to identify group " + r.var("g") + " for project " + p.id()));
        if (!isOwner(state, r.user, p)) {
            return memberTable(403, p.id()); // XNAT renders the member table even on 403
        }
        for (String who : r.var("u").split(",")) {
            String w = who.trim();
            if (w.isEmpty()) {
                continue;
            }
            List<User> targets = resolveUsers(w);
            if (targets.isEmpty()) {
                // unknown user: XNAT e-mails a project access invitation and still answers 200
                state.addInvitation(new EmulatorState.Invitation(p.id(), g, w));
                continue;
            }
            for (User u : targets) {
                if (u.isGuest()) {
                    throw r.halt(412, "The guest user can't be added to a project.");
                }
                state.addMember(p.id(), u.username(), g);
            }
        }
        return memberTable(200, p.id());
    }

    private List<User> resolveUsers(String who) {
        Optional<User> byName = state.userByUsername(who);
        if (byName.isPresent()) {
            return List.of(byName.get());
        }
        if (who.chars().allMatch(Character::isDigit)) {
            Optional<User> byId = state.userById(Integer.parseInt(who));
            if (byId.isPresent()) {
                return List.of(byId.get());
            }
        }
        if (who.contains("@")) {
            return state.usersByEmail(who);
        }
        return List.of();
    }

    private Resp removeProjectUser(Http.Req r) {
        Project p = listable(r, r.var("p")).orElseThrow(() -> r.halt(404,
                "The project ID " + r.var("p") + " does not appear to be a valid project ID."));
        ProjectGroup g = ProjectGroup.resolve(p.id(), r.var("g"))
                .orElseThrow(() -> r.halt(404, "Unable to identify group " + r.var("g") + " for project " + p.id()));
        if (!isOwner(state, r.user, p)) {
            return memberTable(403, p.id());
        }
        for (String who : r.var("u").split(",")) {
            for (User u : resolveUsers(who.trim())) {
                state.removeMember(p.id(), u.username(), g);
            }
        }
        return memberTable(200, p.id());
    }

    // ------------------------------------------------------------------ alias tokens

    private Resp issueToken(Http.Req r) {
        if (!r.user.isSiteAdmin()) {
            throw r.halt(403, "Only administrators can issue tokens for other users.");
        }
        User target = state.userByUsername(r.var("u"))
                .orElseThrow(() -> r.halt(404, "User " + r.var("u") + " not found."));
        if (target.isGuest()) {
            throw r.halt(403, "The guest user can't request alias tokens");
        }
        return Resp.json(200, tokenJson(state.issueToken(target.username())));
    }

    private Resp issueOwnToken(Http.Req r) {
        if (r.user.isGuest()) {
            throw r.halt(403, "The guest user can't request alias tokens");
        }
        return Resp.json(200, tokenJson(state.issueToken(r.user.username())));
    }

    static ObjectNode tokenJson(AliasToken t) {
        ObjectNode n = Http.MAPPER.createObjectNode();
        n.put("id", t.id());
        n.put("enabled", t.enabled());
        n.put("created", t.created());
        n.put("timestamp", t.created());
        n.put("disabled", 0);
        n.put("alias", t.alias());
        n.put("secret", t.secret());
        n.put("singleUse", t.singleUse());
        n.put("estimatedExpirationTime", t.estimatedExpirationTime());
        n.put("xdatUserId", t.username());
        n.putArray("validIPAddresses");
        n.put("expired", t.isExpired(System.currentTimeMillis()));
        return n;
    }

    /**
     * {@code show/user/{u}}: a JSON array of the user's live tokens, secrets included (the serialised entities).
     * Non-admins only for themselves (403); the guest is refused like on issue.
     */
    private Resp showTokens(Http.Req r) {
        String username = r.var("u");
        if ("guest".equalsIgnoreCase(username)) {
            throw r.halt(403, "The guest user can't request alias tokens");
        }
        // AliasTokenRestlet compares the name exactly: another casing of one's own name is another user's.
        if (!r.user.isSiteAdmin() && !r.user.username().equals(username)) {
            throw r.halt(403, "Only admins can work with alias tokens for other users.");
        }
        ArrayNode a = Http.MAPPER.createArrayNode();
        state.aliasTokens().stream().filter(t -> t.username().equals(username) && t.enabled())
                .forEach(t -> a.add(tokenJson(t)));
        return Resp.json(200, a);
    }

    /**
     * {@code invalidate/{alias}}: XNAT deletes the token and answers {@code {"result": "OK"}}; an unknown alias
     * is a 404 (the restlet looks the token up first); another user's token needs an admin (403).
     */
    private Resp invalidateToken(Http.Req r) {
        // findByAlias skips disabled tokens (one disabled with its user, say): those are a 404 too.
        AliasToken t = state.aliasToken(r.var("alias")).filter(AliasToken::enabled)
                .orElseThrow(() -> r.halt(404, "Can't find an alias token with the alias " + r.var("alias")));
        if (!r.user.isSiteAdmin() && !t.username().equalsIgnoreCase(r.user.username())) {
            throw r.halt(403, "Non-admin users can only request operations on alias tokens for their own account");
        }
        state.removeToken(t.alias());
        ObjectNode n = Http.MAPPER.createObjectNode();
        n.put("result", "OK");
        return Resp.json(200, n);
    }

    private Resp validateToken(Http.Req r) {
        // findByAlias skips disabled tokens (one disabled with its user, say): those are a 404 too.
        AliasToken t = state.aliasToken(r.var("alias")).filter(AliasToken::enabled)
                .orElseThrow(() -> r.halt(404, "Unable to find the alias token " + r.var("alias")));
        ObjectNode n = Http.MAPPER.createObjectNode();
        if (t.enabled() && !t.isExpired(System.currentTimeMillis()) && t.secret().equals(r.var("secret"))) {
            n.put("valid", t.username());
            if (t.singleUse()) {
                state.removeToken(t.alias());
            }
        }
        return Resp.json(200, n);
    }
}
