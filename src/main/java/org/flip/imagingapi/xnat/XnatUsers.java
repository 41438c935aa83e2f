package org.flip.imagingapi.xnat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.flip.imagingapi.model.User;
import org.flip.imagingapi.xnat.NewAccount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * XNAT's accounts ({@code /xapi/users}) and project membership ({@code /data/projects/{p}/users}).
 *
 * <p>User JSON is read field by field: one odd account (a missing field, an unusual e-mail such as
 * {@code admin@localhost}, a value of an unexpected type) must never break a listing, because the
 * listing is what every users call and every hub project creation depends on (the reference
 * service failed all of them for one such account).
 */
@Component
public class XnatUsers {

    private static final Logger log = LoggerFactory.getLogger(XnatUsers.class);

    static final XnatOperation PROFILES = XnatOperation.read("user listing", "/xapi/users/profiles");
    // Not /xapi/users/{u}: XNAT answers an unknown username there with a 500, here with a 404.
    static final XnatOperation PROFILE = XnatOperation.read("user lookup", "/xapi/users/profile/{username}");
    static final XnatOperation CREATE = XnatOperation.create("user creation", HttpMethod.POST, "/xapi/users");
    static final XnatOperation UPDATE = XnatOperation.set("user update", HttpMethod.PUT, "/xapi/users/{username}");
    static final XnatOperation MEMBERS = XnatOperation.read("project member listing",
            "/data/projects/{project}/users?format=json");
    static final XnatOperation ADD_TO_GROUP = XnatOperation.set("project membership change", HttpMethod.PUT,
            "/data/projects/{project}/users/{group}/{username}");
    // UsersApi.getUsersWithRole (restrictTo Admin): a JSON array of the usernames holding the role.
    static final XnatOperation ROLE_HOLDERS = XnatOperation.read("role holder listing", "/xapi/users/roles/{role}");
    // Admin only (xnat-rest-behaviour.md §2): a JSON array of the account's role names.
    static final XnatOperation USER_ROLES = XnatOperation.read("user role listing", "/xapi/users/{username}/roles");
    public static final String ADMINISTRATOR = "Administrator";

    private static final TypeReference<JsonNode> JSON = new TypeReference<>() { };

    private final XnatGateway gateway;

    XnatUsers(XnatGateway gateway) {
        this.gateway = gateway;
    }

    /** Every account with a username, in XNAT's order (by internal id). One XNAT call. */
    public List<User> profiles() {
        return profilesInFlight.get(this::fetchProfiles);
    }

    private final SingleFlight<List<User>> profilesInFlight = new SingleFlight<>();

    /**
     * Streams the listing: one small tree per account, mapped and dropped, so 10,000 accounts never
     * exist as one JSON tree next to the records.
     */
    private List<User> fetchProfiles() {
        XnatResponse response = gateway.call(PROFILES);
        return gateway.parse(response, parser -> {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw XnatFailure.unusable("XNAT " + PROFILES.description()
                        + " answered JSON that is not a list of users (HTTP " + response.status() + ")",
                        response.status());
            }
            List<User> users = new ArrayList<>();
            int skipped = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                User user = readUser(parser);
                if (user == null) {
                    skipped++;
                } else {
                    users.add(user);
                }
            }
            if (skipped > 0) {
                log.warn("XNAT's user listing held {} entries without a username; they were left out", skipped);
            }
            return Collections.unmodifiableList(users);
        });
    }

    /**
     * The usernames holding XNAT's {@code Administrator} role, in XNAT's order. One XNAT call
     * ({@code GET /xapi/users/roles/Administrator}, admin only); entries that are not non-blank
     * strings are left out. A body that is not a JSON array is a 502, never an empty set: an empty
     * answer would let an administrator's account be treated as an ordinary one. Empty (not an empty
     * set) when this XNAT has no such route, a 404: an XNAT older than
     * {@code UsersApi.getUsersWithRole}; the caller then asks per account ({@link #roles}).
     */
    public Optional<Set<String>> administrators() {
        XnatResponse response = gateway.call(ROLE_HOLDERS, ADMINISTRATOR);
        if (response.status() == 404) {
            log.info("XNAT has no {} (HTTP 404): the roles of the accounts concerned are read one by one",
                    ROLE_HOLDERS.key());
            return Optional.empty();
        }
        return Optional.of(strings(response, ROLE_HOLDERS, "usernames"));
    }

    /**
     * The roles of one account ({@code GET /xapi/users/{username}/roles}, admin only, a JSON array
     * of role names); an empty set when XNAT does not know the account (404).
     */
    public Set<String> roles(String username) {
        XnatResponse response = gateway.call(USER_ROLES, username);
        if (response.status() == 404) {
            return Set.of();
        }
        return strings(response, USER_ROLES, "roles");
    }

    /** A JSON array of strings; anything else is unusable, never an empty set. */
    private Set<String> strings(XnatResponse response, XnatOperation operation, String what) {
        return gateway.parse(response, parser -> {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw XnatFailure.unusable("XNAT " + operation.description()
                        + " answered JSON that is not a list of " + what + " (HTTP " + response.status() + ")",
                        response.status());
            }
            Set<String> values = new LinkedHashSet<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() == JsonToken.VALUE_STRING && !parser.getText().isBlank()) {
                    values.add(parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
            return Collections.unmodifiableSet(values);
        });
    }

    /** One account by username; empty when XNAT does not know it. */
    public Optional<User> profile(String username) {
        XnatResponse response = gateway.call(PROFILE, username);
        if (response.status() == 404) {
            return Optional.empty();
        }
        User user = toUser(gateway.read(response, JSON));
        if (user == null) {
            throw XnatFailure.unusable("XNAT " + PROFILE.description()
                    + " answered a user without a username (HTTP " + response.status() + ")", response.status());
        }
        return Optional.of(user);
    }

    /**
     * Creates an account. Never replayed: a lost answer may still have created it, which the caller
     * finds by looking the username up. {@link Creation#isTaken()} when the username is taken.
     */
    public Creation<User> create(NewAccount account) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", account.username());
        body.put("password", account.password());
        body.put("email", account.email());
        body.put("firstName", account.firstName());
        body.put("lastName", account.lastName());
        body.put("enabled", account.enabled());
        body.put("verified", account.verified());
        XnatResponse response = gateway.call(CREATE, gateway.json(body));
        if (response.status() == 409) {
            return Creation.taken();
        }
        if (!response.is2xx() || response.isHtml()) {
            throw gateway.unexpected(response);
        }
        return Creation.made(parsedOrLookedUp(response, account.username()));
    }

    /**
     * Sets an account's enabled flag, and nothing else: the body is {@code {"enabled": ...}} alone,
     * so XNAT keeps the e-mail as it stores it (a caller's other casing never overwrites it). XNAT
     * answers 304 when nothing changes; that is success, and the current profile is returned.
     * Empty when XNAT does not know the username.
     */
    public Optional<User> setEnabled(String username, boolean enabled) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", enabled);
        XnatResponse response = gateway.call(UPDATE, gateway.json(body), username);
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (response.status() == 304) {
            log.info("XNAT reports no change for user {}", username);
            return profile(username);
        }
        // A login page on a 200 (a proxy or SSO in front of XNAT) means the change did not happen.
        if (!response.is2xx() || response.isHtml()) {
            throw gateway.unexpected(response);
        }
        return Optional.of(parsedOrLookedUp(response, username));
    }

    /**
     * The project's members: username to group display name ({@code Owners}, {@code Members},
     * {@code Collaborators}). XNAT hides disabled accounts here. Empty when XNAT does not know the
     * project.
     */
    public Optional<Map<String, String>> members(String projectId) {
        XnatResponse response = gateway.call(MEMBERS, projectId);
        if (response.status() == 404) {
            return Optional.empty();
        }
        Map<String, String> members = new LinkedHashMap<>();
        for (Map<String, String> row : gateway.rows(response)) {
            String login = row.get("login");
            if (login != null && !login.isEmpty()) {
                members.put(login, row.getOrDefault("displayname", ""));
            }
        }
        return Optional.of(members);
    }

    /**
     * Puts an account into one of the project's groups, by display name. XNAT moves a user who is
     * in another group of the project; a user already in the group is a no-op. False when XNAT
     * does not know the project.
     */
    public boolean addToGroup(String projectId, String group, String username) {
        XnatResponse response = gateway.call(ADD_TO_GROUP, projectId, group, username);
        if (response.status() == 404) {
            return false;
        }
        // A login page on a 200 (a proxy or SSO in front of XNAT) means the change did not happen.
        if (!response.is2xx() || response.isHtml()) {
            throw gateway.unexpected(response);
        }
        return true;
    }

    /** XNAT answers the account's JSON; if a proxy or version gives something else, ask once. */
    private User parsedOrLookedUp(XnatResponse response, String username) {
        User user = null;
        if (response.body().length > 0) {
            try {
                user = toUser(gateway.objectMapper().readTree(response.body()));
            } catch (IOException e) {
                log.info("XNAT {} answered a body that is not user JSON; looking {} up", response.operation().key(),
                        username);
            }
        }
        if (user != null && username.equals(user.username())) {
            return user;
        }
        return profile(username).orElseThrow(() -> XnatFailure.unusable("XNAT " + response.operation().description()
                + " succeeded (HTTP " + response.status() + ") but the account '" + username
                + "' cannot be found afterwards", response.status()));
    }

    /** One XNAT user object, or null when it has no username to address it by. */
    static User toUser(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        try (JsonParser parser = node.traverse()) {
            parser.nextToken();
            return readUser(parser);
        } catch (IOException e) {
            return null; // a tree always reads back; kept for the checked signature
        }
    }

    /**
     * One XNAT user object read from the parser's current token, field by field without a tree (the
     * 10,000-account listing costs no map per account); unknown fields are skipped. Null when the
     * value is not an object or has no username. The parser ends on the value's last token.
     */
    static User readUser(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        Long id = null;
        Long lastModified = null;
        Long lastSuccessfulLogin = null;
        String username = null;
        String email = null;
        String firstName = null;
        String lastName = null;
        boolean enabled = false;
        boolean verified = false;
        boolean secured = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "id" -> id = number(parser, value);
                case "username" -> username = text(parser, value);
                case "email" -> email = text(parser, value);
                case "firstName" -> firstName = text(parser, value);
                case "lastName" -> lastName = text(parser, value);
                case "enabled" -> enabled = flag(parser, value);
                case "verified" -> verified = flag(parser, value);
                case "secured" -> secured = flag(parser, value);
                case "lastModified" -> lastModified = number(parser, value);
                case "lastSuccessfulLogin" -> lastSuccessfulLogin = number(parser, value);
                default -> parser.skipChildren();
            }
        }
        if (username == null || username.isBlank()) {
            return null;
        }
        return new User(id, username, email, firstName, lastName, enabled, verified, secured, lastModified,
                lastSuccessfulLogin);
    }

    /** A scalar as text (numbers and booleans as written); null for null, objects and arrays. */
    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value.isStructStart()) {
            parser.skipChildren();
            return null;
        }
        return value == JsonToken.VALUE_NULL ? null : parser.getText();
    }

    /** true, or the string "true" in any case; anything else is false. */
    private static boolean flag(JsonParser parser, JsonToken value) throws IOException {
        if (value.isStructStart()) {
            parser.skipChildren();
            return false;
        }
        if (value.isBoolean()) {
            return value == JsonToken.VALUE_TRUE;
        }
        return value == JsonToken.VALUE_STRING && "true".equalsIgnoreCase(parser.getText().strip());
    }

    /** A number, or a string holding an integer; null for anything else. */
    private static Long number(JsonParser parser, JsonToken value) throws IOException {
        if (value.isStructStart()) {
            parser.skipChildren();
            return null;
        }
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return parser.getNumberValue().longValue();
        }
        if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            return (long) parser.getDoubleValue();
        }
        if (value != JsonToken.VALUE_STRING) {
            return null;
        }
        try {
            return Long.parseLong(parser.getText().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
