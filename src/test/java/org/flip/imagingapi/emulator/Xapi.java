package org.flip.imagingapi.emulator;

import static org.flip.imagingapi.emulator.Http.Resp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The Spring-MVC-style {@code /xapi} controllers: users, Container Service, event service (DQR: {@link Dqr}). */
final class Xapi {

    static final Pattern USERNAME = Pattern.compile("^[a-zA-Z][A-Za-z0-9_'.-]{0,63}$");
    static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9._%+'\\-]+@[A-Za-z0-9.\\-]+(\\.[A-Za-z]{2,})?$");
    private static final Pattern BAD_NAME_CHARS = Pattern.compile("[&<>\"/]");
    static final String ACTION_PROVIDER = "org.nrg.containers.services.CommandActionProvider";
    private static final String EVENT_PKG = "org.nrg.xnat.eventservice.events.";
    private static final Map<String, Set<String>> EVENT_STATUSES = Map.of(
            "ScanEvent", Set.of("CREATED"),
            "SessionEvent", Set.of("CREATED", "MERGED", "DELETED"),
            "SubjectEvent", Set.of("CREATED", "DELETED"),
            "SubjectAssessorEvent", Set.of("CREATED", "DELETED"),
            "ImageAssessorEvent", Set.of("CREATED", "UPDATED"),
            "ResourceEvent", Set.of("CREATED", "UPDATED"),
            "ProjectEvent", Set.of("CREATED", "DELETED"),
            "ProjectAssetEvent", Set.of("CREATED"),
            "WorkflowStatusChangeEvent", Set.of("CHANGED"),
            "ScheduledEvent", Set.of("CRON"));
    /**
     * {@code SubscriptionAccessException("Event Service disabled.")} (405 by its annotation) rendered by
     * {@code XapiRestControllerAdvice.handleThrowable}: "There was an error in the request " + ": " + message.
     */
    static final String EVENT_SERVICE_DISABLED = "There was an error in the request : Event Service disabled.";
    /** The same catch-all rendering a NullPointerException (no message): the disabled service's listing. */
    static final String DISABLED_LISTING = "There was an error in the request : null";
    private static final DateTimeFormatter CREATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z").withZone(ZoneOffset.UTC);

    private final XnatEmulator emu;
    private final EmulatorState state;

    Xapi(XnatEmulator emu) {
        this.emu = emu;
        this.state = emu.state();
    }

    void register(Http.Router r) {
        r.add(XnatOps.BUILD_INFO, Http.AuthMode.OPEN, this::buildInfo);
        r.add(XnatOps.LIST_USERNAMES, Http.AuthMode.REQUIRED, this::listUsernames);
        r.add(XnatOps.LIST_USER_PROFILES, Http.AuthMode.REQUIRED, this::listProfiles);
        r.add(XnatOps.GET_USER_PROFILE, Http.AuthMode.REQUIRED, this::getProfile);
        r.add(XnatOps.GET_USER, Http.AuthMode.REQUIRED, this::getUser);
        r.add(XnatOps.CREATE_USER, Http.AuthMode.REQUIRED, this::createUser);
        r.add(XnatOps.UPDATE_USER, Http.AuthMode.REQUIRED, this::updateUser);
        r.add(XnatOps.SET_USER_ENABLED, Http.AuthMode.REQUIRED, req -> setFlag(req, true));
        r.add(XnatOps.SET_USER_VERIFIED, Http.AuthMode.REQUIRED, req -> setFlag(req, false));
        r.add(XnatOps.GET_USER_ROLES, Http.AuthMode.REQUIRED, this::getRoles);
        r.add(XnatOps.ADD_USER_ROLE, Http.AuthMode.REQUIRED, req -> changeRole(req, true));
        r.add(XnatOps.REMOVE_USER_ROLE, Http.AuthMode.REQUIRED, req -> changeRole(req, false));
        r.add(XnatOps.LIST_USERS_WITH_ROLE, Http.AuthMode.REQUIRED, this::usersWithRole);
        r.add(XnatOps.BUILD_INFO_VERSION, Http.AuthMode.OPEN, req -> Resp.json(200, "1.9.3.6"));

        r.add(XnatOps.LIST_COMMANDS, Http.AuthMode.REQUIRED, this::listCommands);
        r.add(XnatOps.GET_COMMAND, Http.AuthMode.REQUIRED, this::getCommand);
        r.add(XnatOps.CREATE_COMMAND, Http.AuthMode.REQUIRED, this::createCommand);
        r.add(XnatOps.ENABLE_WRAPPER_FOR_SITE, Http.AuthMode.REQUIRED, req -> siteEnable(req, true));
        r.add(XnatOps.DISABLE_WRAPPER_FOR_SITE, Http.AuthMode.REQUIRED, req -> siteEnable(req, false));
        r.add(XnatOps.GET_WRAPPER_SITE_ENABLED, Http.AuthMode.REQUIRED, this::getSiteEnabled);
        r.add(XnatOps.ENABLE_WRAPPER_FOR_PROJECT, Http.AuthMode.REQUIRED, req -> projectEnable(req, true, false));
        r.add(XnatOps.DISABLE_WRAPPER_FOR_PROJECT, Http.AuthMode.REQUIRED, req -> projectEnable(req, false, false));
        r.add(XnatOps.ENABLE_WRAPPER_FOR_PROJECT_BY_ID, Http.AuthMode.REQUIRED, req -> projectEnable(req, true, true));
        r.add(XnatOps.GET_WRAPPER_PROJECT_ENABLED, Http.AuthMode.REQUIRED, this::getProjectEnabled);

        r.add(XnatOps.GET_EVENT_PREFS, Http.AuthMode.REQUIRED, this::getEventPrefs);
        r.add(XnatOps.PUT_EVENT_PREFS, Http.AuthMode.REQUIRED, this::putEventPrefs);
        r.add(XnatOps.LIST_SUBSCRIPTIONS, Http.AuthMode.REQUIRED, this::listSubscriptions);
        r.add(XnatOps.CREATE_SUBSCRIPTION, Http.AuthMode.REQUIRED, this::createSubscription);
        r.add(XnatOps.GET_SUBSCRIPTION, Http.AuthMode.REQUIRED, this::getSubscription);
        r.add(XnatOps.ACTIVATE_SUBSCRIPTION, Http.AuthMode.REQUIRED, req -> setActive(req, true));
        r.add(XnatOps.DEACTIVATE_SUBSCRIPTION, Http.AuthMode.REQUIRED, req -> setActive(req, false));
        r.add(XnatOps.DELETE_SUBSCRIPTION, Http.AuthMode.REQUIRED, this::deleteSubscription);

    }

    /** XAPI aspect authorisation failure: 403 with an empty body. */
    private static Http.Halt forbidden() {
        return new Http.Halt(Resp.empty(403));
    }

    private static long idVar(Http.Req r, String name) {
        try {
            return Long.parseLong(r.var(name));
        } catch (NumberFormatException e) {
            throw r.halt(400, "Invalid " + name + ": " + r.var(name));
        }
    }

    // ------------------------------------------------------------------ site config

    private Resp buildInfo(Http.Req r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("version", "1.9.3.6");
        m.put("buildNumber", "9");
        m.put("buildDate", "Tue Jun 10 14:22:31 UTC 2025");
        m.put("sha", "a1b2c3d");
        m.put("isDirty", "false");
        m.put("timestamp", "1749565351000");
        m.put("hostName", "xnat-emulator");
        m.put("displayHostName", "xnat-emulator");
        m.put("nodeId", "");
        m.put("branch", "main");
        m.put("commit", "a1b2c3d");
        m.put("tag", "1.9.3.6");
        m.put("shaFull", "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678");
        return Resp.json(200, m);
    }

    // ------------------------------------------------------------------ users

    static ObjectNode userJson(User u) {
        ObjectNode n = Http.MAPPER.createObjectNode();
        n.put("id", u.id());
        n.put("username", u.username());
        if (u.firstName() != null) {
            n.put("firstName", u.firstName());
        }
        if (u.lastName() != null) {
            n.put("lastName", u.lastName());
        }
        if (u.email() != null) {
            n.put("email", u.email());
        }
        n.put("secured", true);
        if (u.lastModified() != null) {
            n.put("lastModified", u.lastModified());
        }
        n.put("enabled", u.enabled());
        n.put("verified", u.verified());
        if (u.lastSuccessfulLogin() != null) {
            n.put("lastSuccessfulLogin", u.lastSuccessfulLogin());
        }
        return n;
    }

    private Resp listUsernames(Http.Req r) {
        ArrayNode a = Http.MAPPER.createArrayNode();
        state.users().forEach(u -> a.add(u.username()));
        return Resp.json(200, a);
    }

    private Resp listProfiles(Http.Req r) {
        ArrayNode a = Http.MAPPER.createArrayNode();
        state.users().forEach(u -> a.add(userJson(u)));
        return Resp.json(200, a);
    }

    private Resp getProfile(Http.Req r) {
        User u = state.userByUsername(r.var("u")).orElseThrow(() -> r.halt(404,
                "User with username " + r.var("u") + " was not found."));
        return Resp.json(200, userJson(u));
    }

    private Resp getUser(Http.Req r) {
        String name = r.var("u");
        if (!r.user.isSiteAdmin() && !r.user.username().equals(name)) {
            throw forbidden();
        }
        // XNAT quirk: the not-found is wrapped in an initialisation error -> 500
        User u = state.userByUsername(name).orElseThrow(() -> r.halt(500,
                "An error occurred initializing the user " + name + ": User not found: " + name));
        return Resp.json(200, userJson(u));
    }

    static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Boolean bool(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n.asBoolean();
    }

    private Resp createUser(Http.Req r) {
        if (!r.user.isSiteAdmin()) {
            throw forbidden();
        }
        JsonNode body = Http.parseJson(r);
        if (!body.isObject()) {
            throw r.halt(400, "The request body must be a JSON object.");
        }
        String username = text(body, "username");
        String email = text(body, "email");
        String first = text(body, "firstName");
        String last = text(body, "lastName");
        List<String> missing = new ArrayList<>();
        if (username == null || username.isBlank()) {
            missing.add("username");
        }
        if (email == null || email.isBlank()) {
            missing.add("email");
        }
        if (first == null || first.isBlank()) {
            missing.add("firstName");
        }
        if (last == null || last.isBlank()) {
            missing.add("lastName");
        }
        if (!missing.isEmpty()) {
            throw r.halt(400, "Missing fields: " + String.join(", ", missing));
        }
        List<String> invalid = invalidFields(username, email, first, last);
        if (!invalid.isEmpty()) {
            throw r.halt(400, "Invalid fields: " + String.join(", ", invalid));
        }
        if (state.userByUsername(username).isPresent()) {
            throw r.halt(409, "A user with the username " + username + " already exists.");
        }
        Boolean enabled = bool(body, "enabled");
        Boolean verified = bool(body, "verified");
        // XNAT quirk: "verified" is only copied inside the "enabled was supplied" branch.
        boolean en = enabled == null || enabled;
        boolean ver = enabled == null || verified == null || verified;
        User created;
        try {
            created = state.addUser(new User(0, username, email, first, last, en, ver, text(body, "password"),
                    System.currentTimeMillis(), null, Set.of()));
        } catch (IllegalStateException e) {
            throw r.halt(409, "A user with the username " + username + " already exists.");
        }
        return Resp.json(201, userJson(created));
    }

    private static List<String> invalidFields(String username, String email, String first, String last) {
        List<String> invalid = new ArrayList<>();
        if (username != null && !USERNAME.matcher(username).matches()) {
            invalid.add("username");
        }
        if (email != null && !EMAIL.matcher(email).matches()) {
            invalid.add("email");
        }
        if (first != null && BAD_NAME_CHARS.matcher(first).find()) {
            invalid.add("firstName");
        }
        if (last != null && BAD_NAME_CHARS.matcher(last).find()) {
            invalid.add("lastName");
        }
        return invalid;
    }

    private Resp updateUser(Http.Req r) {
        if (!r.user.isSiteAdmin()) {
            throw forbidden();
        }
        String name = r.var("u");
        User old = state.userByUsername(name).orElseThrow(() -> r.halt(404,
                "User with username " + name + " was not found."));
        JsonNode body = Http.parseJson(r);
        if (!body.isObject()) {
            throw r.halt(400, "The request body must be a JSON object.");
        }
        String bodyUsername = text(body, "username");
        if (bodyUsername != null && !bodyUsername.equals(name)) {
            throw r.halt(400, "The username in the path (" + name + ") does not match the username in the body ("
                    + bodyUsername + ").");
        }
        String email = text(body, "email");
        String first = text(body, "firstName");
        String last = text(body, "lastName");
        List<String> invalid = invalidFields(null, email, first, last);
        if (!invalid.isEmpty()) {
            throw r.halt(400, "Invalid fields: " + String.join(", ", invalid));
        }
        String password = text(body, "password");
        Boolean enabled = bool(body, "enabled");
        Boolean verified = bool(body, "verified");
        User updated = new User(old.id(), old.username(), email == null ? old.email() : email,
                first == null ? old.firstName() : first, last == null ? old.lastName() : last,
                enabled == null ? old.enabled() : enabled, verified == null ? old.verified() : verified,
                password == null ? old.password() : password, old.lastModified(), old.lastSuccessfulLogin(),
                old.roles());
        if (updated.equals(old)) {
            return Resp.empty(304);
        }
        updated = new User(updated.id(), updated.username(), updated.email(), updated.firstName(), updated.lastName(),
                updated.enabled(), updated.verified(), updated.password(), System.currentTimeMillis(),
                updated.lastSuccessfulLogin(), updated.roles());
        state.updateUser(updated);
        if (password != null && !password.equals(old.password())) {
            state.setPasswordExpired(name, false); // password_updated = now()
        }
        return Resp.json(200, userJson(updated));
    }

    private User adminTarget(Http.Req r) {
        if (!r.user.isSiteAdmin()) {
            throw forbidden();
        }
        return state.userByUsername(r.var("u")).orElseThrow(() -> r.halt(404,
                "User with username " + r.var("u") + " was not found."));
    }

    /** PUT .../enabled/{flag} and .../verified/{flag}: 200 empty even when unchanged. */
    private Resp setFlag(Http.Req r, boolean enabledFlag) {
        User u = adminTarget(r);
        boolean value = Boolean.parseBoolean(r.var("flag"));
        User updated = enabledFlag
                ? new User(u.id(), u.username(), u.email(), u.firstName(), u.lastName(), value, u.verified(),
                u.password(), u.lastModified(), u.lastSuccessfulLogin(), u.roles())
                : new User(u.id(), u.username(), u.email(), u.firstName(), u.lastName(), u.enabled(), value,
                u.password(), u.lastModified(), u.lastSuccessfulLogin(), u.roles());
        if (!updated.equals(u)) {
            state.updateUser(updated);
        }
        return Resp.empty(200);
    }

    /**
     * UsersApi's roles of one account: restrictTo User, so the account itself or an admin; an unknown
     * username is a 404 (the user lookup's not-found; not confirmed against a running XNAT).
     */
    private Resp getRoles(Http.Req r) {
        if (!r.user.isSiteAdmin() && !r.user.username().equals(r.var("u"))) {
            throw forbidden();
        }
        User u = state.userByUsername(r.var("u")).orElseThrow(() -> r.halt(404,
                "User with username " + r.var("u") + " was not found."));
        ArrayNode a = Http.MAPPER.createArrayNode();
        u.roles().stream().filter(x -> !x.startsWith("ALL_DATA_")).sorted().forEach(a::add);
        return Resp.json(200, a);
    }

    /**
     * {@code GET /xapi/users/roles/{role}} ({@code UsersApi.getUsersWithRole}, restrictTo Admin): a JSON array of
     * the usernames holding the role, {@code []} for a role nobody holds or that does not exist. Site groups
     * (ALL_DATA_*) are not roles in XNAT's role table, so nobody "holds" them here.
     */
    private Resp usersWithRole(Http.Req r) {
        if (!r.user.isSiteAdmin()) {
            throw forbidden();
        }
        String role = r.var("role");
        ArrayNode a = Http.MAPPER.createArrayNode();
        if (!role.startsWith("ALL_DATA_")) {
            state.users().stream().filter(u -> u.hasRole(role)).forEach(u -> a.add(u.username()));
        }
        return Resp.json(200, a);
    }

    private Resp changeRole(Http.Req r, boolean add) {
        User u = adminTarget(r);
        java.util.Set<String> roles = new java.util.HashSet<>(u.roles());
        if (add) {
            roles.add(r.var("role"));
        } else {
            roles.remove(r.var("role"));
        }
        state.updateUser(u.withRoles(roles));
        return Resp.empty(200);
    }

    // ------------------------------------------------------------------ commands

    private static void requireContainerManager(Http.Req r) {
        if (!r.user.hasRole(User.CONTAINER_MANAGER)) {
            throw forbidden();
        }
    }

    static ObjectNode commandJson(Command c, String visibility) {
        ObjectNode n = Http.MAPPER.createObjectNode();
        n.put("id", c.id());
        n.put("name", c.name());
        n.put("label", c.name());
        n.put("description", c.name() + " command");
        n.put("version", c.version());
        n.put("schema-version", "1.0");
        n.put("image", c.image());
        n.put("type", "docker");
        n.put("command-line", c.name());
        n.put("override-entrypoint", false);
        n.putArray("mounts");
        n.putObject("environment-variables");
        n.putObject("ports");
        n.putArray("inputs");
        n.putArray("outputs");
        ObjectNode def = c.definition();
        if (def != null) {
            Iterator<Map.Entry<String, JsonNode>> it = def.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!Set.of("id", "xnat", "name", "image", "version", "visibility").contains(e.getKey())) {
                    n.set(e.getKey(), e.getValue());
                }
            }
        }
        ArrayNode xnat = n.putArray("xnat");
        ArrayNode defWrappers = def != null && def.get("xnat") instanceof ArrayNode a ? a : null;
        int i = 0;
        for (Wrapper w : c.wrappers()) {
            ObjectNode wn = Http.MAPPER.createObjectNode();
            JsonNode original = defWrappers != null && i < defWrappers.size() ? defWrappers.get(i) : null;
            wn.put("id", w.id());
            wn.put("name", w.name());
            wn.put("label", w.name());
            wn.put("description", w.description());
            ArrayNode ctx = wn.putArray("contexts");
            w.contexts().forEach(ctx::add);
            wn.putArray("external-inputs");
            wn.putArray("derived-inputs");
            wn.putArray("output-handlers");
            if (original instanceof ObjectNode on) {
                on.fields().forEachRemaining(e -> {
                    if (!Set.of("id", "name", "contexts").contains(e.getKey())) {
                        wn.set(e.getKey(), e.getValue());
                    }
                });
            }
            xnat.add(wn);
            i++;
        }
        n.putObject("container-labels");
        n.putObject("generic-resources");
        n.putObject("ulimits");
        n.putArray("secrets");
        n.put("visibility", visibility);
        return n;
    }

    /**
     * {@code CommandRestApi.filter}: a ContainerManager (the exact role; Administrator alone is not enough) sees every
     * command; anyone else public and protected ones, and a private one only when one of its wrappers is enabled in
     * a project the caller can read. There is no role check on the read endpoints, so never a 401/403.
     */
    private boolean visible(User u, Command c) {
        if (u.hasRole(User.CONTAINER_MANAGER)) {
            return true;
        }
        String visibility = state.commandVisibility(c.id()).toLowerCase(Locale.ROOT);
        if (visibility.equals(Command.PUBLIC) || visibility.equals(Command.PROTECTED)) {
            return true;
        }
        if (!visibility.equals(Command.PRIVATE)) {
            return false;
        }
        for (Wrapper w : c.wrappers()) {
            for (String projectId : state.projectsWithWrapperEnabled(w.id())) {
                Optional<Project> p = state.project(projectId);
                if (p.isPresent() && DataApi.canRead(state, u, p.get())) {
                    return true;
                }
            }
        }
        return false;
    }

    private Resp listCommands(Http.Req r) {
        String image = r.q("image");
        String name = r.q("name");
        String version = r.q("version");
        boolean restrict = "true".equals(r.q("restrictToEnabledForSite"));
        ArrayNode a = Http.MAPPER.createArrayNode();
        for (Command c : state.commands()) {
            if (image != null && !image.equals(c.image())) {
                continue;
            }
            if (name != null && !name.equals(c.name())) {
                continue;
            }
            if (name != null && version != null && !version.equals(c.version())) {
                continue;
            }
            if (restrict && c.wrappers().stream().noneMatch(w -> state.isWrapperEnabledForSite(w.id()))) {
                continue;
            }
            if (!visible(r.user, c)) {
                continue;
            }
            a.add(commandJson(c, state.commandVisibility(c.id())));
        }
        return Resp.json(200, a);
    }

    private Resp getCommand(Http.Req r) {
        Command c = state.command(idVar(r, "id")).orElseThrow(() -> r.halt(404, "No command with id "
                + r.var("id")));
        // a hidden command: the controller returns null, which Spring answers as an empty 200
        return visible(r.user, c) ? Resp.json(200, commandJson(c, state.commandVisibility(c.id()))) : Resp.empty(200);
    }

    private Resp createCommand(Http.Req r) {
        requireContainerManager(r);
        JsonNode body = Http.parseJson(r);
        if (!(body instanceof ObjectNode def)) {
            throw r.halt(400, "Command must be a JSON object.");
        }
        String name = text(def, "name");
        String image = r.q("image") != null ? r.q("image") : text(def, "image");
        String version = text(def, "version");
        if (name == null || name.isBlank() || image == null || image.isBlank()) {
            throw r.halt(400, "Command must have a name and an image.");
        }
        for (Command c : state.commands()) {
            if (c.name().equals(name) && c.image().equals(image)
                    && java.util.Objects.equals(c.version(), version)) {
                throw r.halt(400, "A command with name " + name + " and image " + image + " already exists.");
            }
        }
        List<Wrapper> wrappers = new ArrayList<>();
        if (def.get("xnat") instanceof ArrayNode arr) {
            for (JsonNode w : arr) {
                String wn = text(w, "name");
                if (wn == null || wn.isBlank()) {
                    throw r.halt(400, "Command wrapper must have a name.");
                }
                List<String> contexts = new ArrayList<>();
                if (w.get("contexts") instanceof ArrayNode ca) {
                    ca.forEach(x -> contexts.add(x.asText()));
                }
                wrappers.add(new Wrapper(0, wn, text(w, "description"), contexts));
            }
        }
        Command c = state.addCommandWithWrappers(name, image, version, wrappers, def);
        String visibility = text(def, "visibility");
        if (visibility != null) {
            state.setCommandVisibility(c.id(), visibility);
        }
        return Resp.json(201, c.id());
    }

    private Wrapper wrapperOf(Http.Req r, Command c) {
        String w = r.var("w");
        Optional<Wrapper> found = c.wrapperByName(w);
        if (found.isEmpty() && w.chars().allMatch(Character::isDigit) && !w.isEmpty()) {
            long id = Long.parseLong(w);
            found = c.wrappers().stream().filter(x -> x.id() == id).findFirst();
        }
        return found.orElseThrow(() -> r.halt(404, "No wrapper " + w + " found for command " + c.id() + "."));
    }

    private Resp siteEnable(Http.Req r, boolean on) {
        requireContainerManager(r);
        Command c = state.command(idVar(r, "id")).orElseThrow(() -> r.halt(404, "No command with id "
                + r.var("id")));
        state.setWrapperEnabledForSite(wrapperOf(r, c).id(), on);
        return Resp.empty(200);
    }

    private Resp getSiteEnabled(Http.Req r) {
        requireContainerManager(r);
        Command c = state.command(idVar(r, "id")).orElseThrow(() -> r.halt(404, "No command with id "
                + r.var("id")));
        return Resp.json(200, state.isWrapperEnabledForSite(wrapperOf(r, c).id()));
    }

    private Project projectOr404(Http.Req r) {
        return state.project(r.var("p")).filter(p -> DataApi.canList(state, r.user, p))
                .orElseThrow(() -> r.halt(404, "Project " + r.var("p") + " not found"));
    }

    private Resp projectEnable(Http.Req r, boolean on, boolean byWrapperId) {
        Project p = projectOr404(r);
        if (!DataApi.isOwner(state, r.user, p) && !r.user.hasRole(User.CONTAINER_MANAGER)) {
            // Container Service maps its authorisation failures to 401
            throw r.halt(401, "User " + r.user.username() + " does not have Delete access.");
        }
        Wrapper w;
        if (byWrapperId) {
            long wid;
            try {
                wid = Long.parseLong(r.var("w"));
            } catch (NumberFormatException e) {
                throw r.halt(400, "Invalid wrapper id " + r.var("w"));
            }
            w = state.wrapper(wid).orElseThrow(() -> r.halt(404, "No wrapper with id " + r.var("w") + "."));
        } else {
            Command c = state.command(idVar(r, "id")).orElseThrow(() -> r.halt(404, "No command with id "
                    + r.var("id")));
            w = wrapperOf(r, c);
        }
        state.setWrapperEnabledForProject(p.id(), w.id(), on);
        return Resp.empty(200);
    }

    /**
     * {@code CommandConfigurationRestApi.isConfigurationEnabled}: needs Edit access (or ContainerManager), else 401.
     * "enabled-for-project" is {@code ContainerConfigServiceImpl.isEnabledForProject}: false whenever the wrapper is
     * disabled site-wide, whatever the project's own setting.
     */
    private Resp getProjectEnabled(Http.Req r) {
        Project p = projectOr404(r);
        if (!DataApi.canEdit(state, r.user, p) && !r.user.hasRole(User.CONTAINER_MANAGER)) {
            throw r.halt(401, "User " + r.user.username() + " does not have Edit access.");
        }
        Command c = state.command(idVar(r, "id")).orElseThrow(() -> r.halt(404, "No command with id "
                + r.var("id")));
        Wrapper w = wrapperOf(r, c);
        ObjectNode n = Http.MAPPER.createObjectNode();
        boolean site = state.isWrapperEnabledForSite(w.id());
        n.put("enabled-for-site", site);
        n.put("enabled-for-project", site && state.isWrapperEnabledForProject(p.id(), w.id()));
        n.put("project", p.id());
        return Resp.json(200, n);
    }

    // ------------------------------------------------------------------ event service

    private Resp getEventPrefs(Http.Req r) {
        return Resp.json(200, Map.of("enabled", state.eventServiceEnabled()));
    }

    private Resp putEventPrefs(Http.Req r) {
        if (!r.user.isSiteAdmin()) {
            throw forbidden();
        }
        JsonNode body = Http.parseJson(r);
        Boolean on = bool(body, "enabled");
        if (on != null) {
            state.setEventServiceEnabled(on);
        }
        return Resp.empty(200);
    }

    /** Project display variant: keys present even when null. */
    ObjectNode subscriptionJson(Subscription s, String projectId) {
        ObjectNode n = Http.MAPPER.createObjectNode();
        n.put("id", s.id());
        n.put("name", s.name());
        n.put("active", s.active());
        n.put("action-key", s.actionKey());
        ObjectNode attrs = n.putObject("attributes");
        s.attributes().forEach(attrs::put);
        ObjectNode f = n.putObject("event-filter");
        f.putNull("name");
        f.put("event-type", s.eventType());
        ArrayNode pids = f.putArray("project-ids");
        s.projectIds().forEach(pids::add);
        f.put("status", s.status());
        f.putNull("schedule");
        f.putNull("schedule-description");
        f.put("payload-filter", s.payloadFilter());
        f.putObject("filter-nodes");
        n.put("act-as-event-user", false);
        n.put("subscription-owner", s.owner());
        String problem = validationProblem(s);
        n.put("valid", problem == null);
        n.put("validation-message", problem);
        n.put("created", CREATED.format(Instant.ofEpochMilli(s.created())));
        if (projectId != null) {
            n.put("editable", s.projectIds().size() == 1 && s.projectIds().get(0).equals(projectId));
        }
        return n;
    }

    private String validationProblem(Subscription s) {
        long wid = s.wrapperId();
        if (state.wrapper(wid).isEmpty()) {
            return "Action " + s.actionKey() + " is not available.";
        }
        if (s.isSiteWide() && !state.isWrapperEnabledForSite(wid)) {
            return "Action " + s.actionKey() + " is not available for the site.";
        }
        for (String p : s.projectIds()) {
            if (!state.isWrapperUsableInProject(p, wid)) {
                return "Action " + s.actionKey() + " is not available for project " + p + ".";
            }
        }
        return null;
    }

    /** The XAPI aspect's {@code restrictTo = Delete} on the path project: 404 unknown, 403 (empty) not owner. */
    private Project subscriptionProject(Http.Req r) {
        Project p = projectOr404(r);
        if (!DataApi.isOwner(state, r.user, p)) {
            throw forbidden();
        }
        return p;
    }

    /**
     * {@code EventServiceRestApi.checkProjectSubscriptionAccess}: a project route may only act on a subscription
     * whose project ids include the path project, and only for an admin or an owner of every one of them. A
     * site-wide subscription (no project ids) always fails here, naming "Site".
     */
    private void requireModifiable(Http.Req r, List<String> projectIds, Project p) {
        boolean ownsAll = !projectIds.isEmpty() && projectIds.stream().allMatch(id -> state.project(id)
                .map(op -> DataApi.isOwner(state, r.user, op)).orElse(false));
        if (projectIds.isEmpty() || !projectIds.contains(p.id()) || !(r.user.isSiteAdmin() || ownsAll)) {
            throw new Http.Halt(Resp.text(401, "Unauthorized.\n" + r.user.username()
                    + " not authorized to modify subscriptions for project(s): "
                    + (projectIds.isEmpty() ? "Site" : String.join(",", projectIds))));
        }
    }

    private Resp listSubscriptions(Http.Req r) {
        Project p = subscriptionProject(r);
        if (!state.eventServiceEnabled()) {
            // the service returns null and the controller streams over it: an NPE through the controller advice
            throw new Http.Halt(Resp.text(500, DISABLED_LISTING));
        }
        ArrayNode a = Http.MAPPER.createArrayNode();
        for (Subscription s : state.subscriptionsListedForProject(p.id())) {
            a.add(subscriptionJson(s, p.id()));
        }
        return Resp.json(200, a);
    }

    private static Http.Halt failedDependency(String detail) {
        return new Http.Halt(Resp.text(424, "Subscription format failed to validate.\n" + detail));
    }

    private Resp createSubscription(Http.Req r) {
        Project p = subscriptionProject(r);
        JsonNode body = Http.parseJson(r);
        if (!body.isObject()) {
            throw r.halt(400, "Subscription must be a JSON object.");
        }
        String name = text(body, "name");
        Boolean active = bool(body, "active");
        String actionKey = text(body, "action-key");
        Map<String, String> attributes = new LinkedHashMap<>();
        if (body.get("attributes") instanceof ObjectNode an) {
            an.fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        }
        JsonNode filter = body.get("event-filter");
        if (filter == null || !filter.isObject()) {
            filter = Http.MAPPER.createObjectNode(); // no project ids: the access check below answers 401 "Site"
        }
        String eventType = text(filter, "event-type");
        String status = text(filter, "status");
        String payloadFilter = text(filter, "payload-filter");
        List<String> projectIds = new ArrayList<>();
        if (filter.get("project-ids") instanceof ArrayNode pa) {
            pa.forEach(x -> projectIds.add(x.asText()));
        }
        // checkProjectSubscriptionAccess, then EventServiceImpl.throwIfDisabled, then validation
        requireModifiable(r, projectIds, p);
        if (!state.eventServiceEnabled()) {
            throw new Http.Halt(Resp.text(405, EVENT_SERVICE_DISABLED));
        }
        String simpleType = eventType == null ? "" : eventType.startsWith(EVENT_PKG)
                ? eventType.substring(EVENT_PKG.length()) : "";
        if (!EVENT_STATUSES.containsKey(simpleType)) {
            throw failedDependency("Could not load event class: " + eventType);
        }
        if (status != null && !EVENT_STATUSES.get(simpleType).contains(status)) {
            throw failedDependency("Status " + status + " is not valid for event type " + eventType);
        }
        if (payloadFilter != null && (payloadFilter.trim().startsWith("$") || payloadFilter.contains("$[?")
                || !balanced(payloadFilter))) {
            throw failedDependency("Could not compile JsonPath filter: " + payloadFilter);
        }
        if (actionKey == null || !actionKey.startsWith(ACTION_PROVIDER + ":")) {
            throw failedDependency("Action provider not found for action key: " + actionKey);
        }
        Subscription candidate = new Subscription(0, name, active != null && active, actionKey, attributes,
                eventType, projectIds, status, payloadFilter, r.user.username(), System.currentTimeMillis());
        long wid = candidate.wrapperId();
        if (wid < 0 || state.wrapper(wid).isEmpty()) {
            throw failedDependency("Action " + actionKey + " is not available.");
        }
        for (String pid : projectIds) {
            if (!state.isWrapperUsableInProject(pid, wid)) {
                throw failedDependency("Action " + actionKey + " is not available for project " + pid + ".");
            }
        }
        if (active == null) {
            throw new Http.Halt(Resp.text(424, "Failed to create subscription."));
        }
        if (name == null || name.isBlank()) {
            name = simpleType + " -> " + state.wrapper(wid).map(Wrapper::name).orElse("action");
        }
        Subscription stored = state.addSubscription(new Subscription(0, name, active, actionKey, attributes,
                eventType, projectIds, status, payloadFilter, r.user.username(), System.currentTimeMillis()));
        return Resp.text(201, stored.name() + ":" + stored.id());
    }

    /** Crude stand-in for "JsonPath must compile": brackets and quotes must balance. */
    static boolean balanced(String filter) {
        int paren = 0;
        int bracket = 0;
        boolean inQuote = false;
        for (char c : filter.toCharArray()) {
            if (c == '"') {
                inQuote = !inQuote;
            } else if (!inQuote) {
                if (c == '(') {
                    paren++;
                } else if (c == ')') {
                    paren--;
                } else if (c == '[') {
                    bracket++;
                } else if (c == ']') {
                    bracket--;
                }
                if (paren < 0 || bracket < 0) {
                    return false;
                }
            }
        }
        return paren == 0 && bracket == 0 && !inQuote;
    }

    /**
     * {@code EventServiceImpl.getSubscription}: 405 while the event service is disabled (before any lookup), then a
     * 404 for an unknown id (the framework's NotFoundException, rendered by the advice's catch-all).
     */
    private Subscription subscriptionOr404(Http.Req r) {
        if (!state.eventServiceEnabled()) {
            throw new Http.Halt(Resp.text(405, EVENT_SERVICE_DISABLED));
        }
        long id = idVar(r, "id");
        return state.subscription(id).orElseThrow(() -> new Http.Halt(Resp.text(404,
                "There was an error in the request : Could not find entity with ID " + id)));
    }

    /** {@code checkReadProjectSubscriptionAccess}: site-wide subscriptions and the project's own may be read. */
    private Resp getSubscription(Http.Req r) {
        Project p = subscriptionProject(r);
        Subscription s = subscriptionOr404(r);
        if (!s.isSiteWide() && !s.projectIds().contains(p.id())) {
            throw new Http.Halt(Resp.text(401, "Unauthorized.\n" + r.user.username()
                    + " not authorized to read subscriptions for other projects"));
        }
        return Resp.json(200, subscriptionJson(s, p.id()));
    }

    private Resp setActive(Http.Req r, boolean on) {
        Project p = subscriptionProject(r);
        Subscription s = subscriptionOr404(r);
        requireModifiable(r, s.projectIds(), p);
        state.setSubscriptionActive(s.id(), on);
        return Resp.empty(200);
    }

    private Resp deleteSubscription(Http.Req r) {
        Project p = subscriptionProject(r);
        Subscription s = subscriptionOr404(r);
        requireModifiable(r, s.projectIds(), p);
        state.deleteSubscription(s.id());
        return Resp.empty(204);
    }
}
