package org.flip.imagingapi.emulator;

import java.time.Instant;
import java.util.List;

/**
 * An XNAT project ({@code xnat:projectData}). Immutable; {@link EmulatorState} replaces it on update.
 *
 * @param id             primary key, case-sensitive, {@code ^[A-Za-z0-9_-]+$}
 * @param secondaryId    "running title" ({@code secondary_ID}); FLIP stores the hub project id here
 * @param name           title
 * @param description    may be null (rendered {@code ""} in listings, absent in item JSON)
 * @param piFirstname    may be null
 * @param piLastname     may be null
 * @param accessibility  {@code private}, {@code protected} (REST default) or {@code public}
 * @param prearchiveCode 0 manual, 4 auto-archive, 5 auto-archive overwrite (any integer is stored)
 * @param aliases        project aliases (lookups by alias are exact)
 * @param insertUser     creator username (may be null)
 * @param insertDate     creation time
 */
public record Project(String id, String secondaryId, String name, String description,
                      String piFirstname, String piLastname, String accessibility, int prearchiveCode,
                      List<String> aliases, String insertUser, Instant insertDate) {

    public Project {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        accessibility = accessibility == null ? "protected" : accessibility;
        insertDate = insertDate == null ? Instant.now() : insertDate;
    }

    /** A project with XNAT's REST defaults: blank secondary_ID/name := ID, protected, prearchive code 4. */
    public static Project of(String id, String secondaryId, String name, String description) {
        return new Project(id, blank(secondaryId) ? id : secondaryId, blank(name) ? id : name, description,
                null, null, "protected", 4, List.of(), null, Instant.now());
    }

    public Project withPrearchiveCode(int code) {
        return new Project(id, secondaryId, name, description, piFirstname, piLastname, accessibility, code,
                aliases, insertUser, insertDate);
    }

    public Project withInsertUser(String user) {
        return new Project(id, secondaryId, name, description, piFirstname, piLastname, accessibility,
                prearchiveCode, aliases, user, insertDate);
    }

    public Project withAccessibility(String value) {
        return new Project(id, secondaryId, name, description, piFirstname, piLastname, value, prearchiveCode,
                aliases, insertUser, insertDate);
    }

    public Project withPi(String firstname, String lastname) {
        return new Project(id, secondaryId, name, description, firstname, lastname, accessibility,
                prearchiveCode, aliases, insertUser, insertDate);
    }

    public Project withAliases(List<String> values) {
        return new Project(id, secondaryId, name, description, piFirstname, piLastname, accessibility,
                prearchiveCode, values, insertUser, insertDate);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
