package org.flip.imagingapi.xnat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flip.imagingapi.model.Project;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/** XNAT's project resources ({@code /data/projects}). */
@Component
public class XnatProjects {

    private static final Logger log = LoggerFactory.getLogger(XnatProjects.class);

    static final XnatOperation LIST = XnatOperation.read("project listing", "/data/projects?format=json");
    /*
     * One project by its listing row: the reference scanned the whole listing on every call. The
     * shortcut filter keeps the answer one row for an admin account; XNAT ignores it for other
     * accounts (xnat-rest-behaviour §4.2), so the exact match below is still ours to do.
     * GET /data/projects/{id} is no substitute: its item JSON lacks pi_* and URI and it resolves aliases.
     */
    static final XnatOperation FIND_BY_ID =
            XnatOperation.read("project lookup by ID", "/data/projects?format=json&ID={id}");
    static final XnatOperation FIND_BY_SECONDARY_ID =
            XnatOperation.read("project lookup by secondary ID", "/data/projects?format=json&secondary_ID={secondaryId}");
    static final XnatOperation CREATE =
            XnatOperation.create("project creation", HttpMethod.POST, "/data/projects").slow();
    static final XnatOperation PREARCHIVE_CODE = XnatOperation.read("prearchive code lookup",
            "/data/projects/{project}/prearchive_code");
    static final XnatOperation SET_PREARCHIVE_CODE = XnatOperation.set("prearchive code setting",
            HttpMethod.PUT, "/data/projects/{project}/prearchive_code/{code}");
    static final XnatOperation DELETE = XnatOperation.set("project deletion",
            HttpMethod.DELETE, "/data/projects/{project}?removeFiles=true").slow();

    private final XnatGateway gateway;

    XnatProjects(XnatGateway gateway) {
        this.gateway = gateway;
    }

    /** Every project the service account can read. */
    public List<Project> list() {
        return listInFlight.get(() -> gateway.rows(gateway.call(LIST), XnatProjects::toProject));
    }

    private final SingleFlight<List<Project>> listInFlight = new SingleFlight<>();

    /** The project whose ID is exactly {@code id} (case-sensitive, as XNAT's URLs are). */
    public Optional<Project> find(String id) {
        return rows(gateway.call(FIND_BY_ID, id)).stream()
                .filter(row -> id.equals(row.get("ID")))
                .findFirst().map(XnatProjects::toProject);
    }

    /** The project whose secondary_ID (the hub's project id) is exactly {@code secondaryId}. */
    public Optional<Project> findBySecondaryId(String secondaryId) {
        return rows(gateway.call(FIND_BY_SECONDARY_ID, secondaryId)).stream()
                .filter(row -> secondaryId.equals(row.get("secondary_ID")))
                .findFirst().map(XnatProjects::toProject);
    }

    /**
     * Every project whose secondary_ID is exactly {@code secondaryId}, in XNAT's order: more than one
     * is a twin (XNAT does not keep secondary_ID unique).
     */
    public List<Project> findAllBySecondaryId(String secondaryId) {
        return rows(gateway.call(FIND_BY_SECONDARY_ID, secondaryId)).stream()
                .filter(row -> secondaryId.equals(row.get("secondary_ID")))
                .map(XnatProjects::toProject).toList();
    }

    /**
     * The project's prearchive code as XNAT reads it back (plain text, e.g. {@code 4}); empty when
     * XNAT does not know the project (404, xnat-rest-behaviour §4.3).
     */
    public Optional<Integer> prearchiveCode(String id) {
        XnatResponse response = gateway.call(PREARCHIVE_CODE, id);
        if (response.status() == 404) {
            return Optional.empty();
        }
        String text = response.text().strip();
        if (!response.is2xx() || response.isHtml()) {
            throw gateway.unexpected(response);
        }
        if (!text.matches("-?\\d{1,9}")) {
            throw XnatFailure.unusable("XNAT " + PREARCHIVE_CODE.description()
                    + " answered something that is not an integer (HTTP " + response.status() + ")", response.status());
        }
        return Optional.of(Integer.valueOf(text));
    }

    /**
     * Creates a project from an {@code xnat:projectData} document. Not retried: a replayed POST
     * could race another creator; a create {@link XnatFailure.InDoubt in doubt} is for the caller
     * to look up. XNAT's 409 "Project already exists." is {@link Creation#isTaken()}.
     */
    public Creation<Project> create(String id, String secondaryId, String name, String description) {
        byte[] xml = ProjectDataXml.write(new ProjectDataXml.ProjectData(id, secondaryId, name, description));
        XnatResponse response = gateway.call(CREATE, XnatBody.xml(xml));
        if (response.status() == 409) {
            return Creation.taken();
        }
        if (!response.is2xx() || response.isHtml()) {
            throw gateway.unexpected(response);
        }
        log.info("Created XNAT project {}", id);
        // XNAT stores what was sent; reading it back would cost a call.
        return Creation.made(new Project(id, secondaryId, name,
                description == null || description.isEmpty() ? null : description, "", "", "/data/projects/" + id));
    }

    /**
     * Sets the project's prearchive code; false when XNAT does not know the project (it answers
     * 400, not 404: xnat-rest-behaviour §4.6).
     */
    public boolean setPrearchiveCode(String id, int code) {
        XnatResponse response = gateway.call(SET_PREARCHIVE_CODE, id, code);
        if (response.status() == 400) {
            return false;
        }
        // Success is an empty 200; a login page on a 200 (a proxy or SSO in front of XNAT) set nothing.
        if (!response.is2xx() || response.isHtml()) {
            throw gateway.unexpected(response);
        }
        return true;
    }

    /**
     * Asks XNAT to delete the project and its files; false when XNAT does not know the project (it
     * answers 400, not 404: §4.7). XNAT's 200 does not prove the project is gone (§4.7): the
     * caller checks.
     */
    public boolean delete(String id) {
        XnatResponse response = gateway.call(DELETE, id);
        if (response.status() == 400) {
            return false;
        }
        if (!response.is2xx() || response.isHtml()) {
            throw gateway.unexpected(response);
        }
        log.info("XNAT accepted the deletion of project {} with its files", id);
        return true;
    }

    private List<Map<String, String>> rows(XnatResponse response) {
        return gateway.rows(response);
    }

    static Project toProject(Map<String, String> row) {
        String description = row.get("description");
        return new Project(row.get("ID"), row.get("secondary_ID"), row.get("name"),
                description == null || description.isEmpty() ? null : description,
                orEmpty(row.get("pi_firstname")), orEmpty(row.get("pi_lastname")),
                row.getOrDefault("URI", "/data/projects/" + row.get("ID")));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

}
