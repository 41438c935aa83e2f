package org.flip.imagingapi.emulator;

import java.util.Optional;

/** The three per-project groups XNAT creates with every project ({@code {ID}_owner}/"Owners", ...). */
public enum ProjectGroup {
    OWNERS("owner", "Owners"),
    MEMBERS("member", "Members"),
    COLLABORATORS("collaborator", "Collaborators");

    private final String suffix;
    private final String displayName;

    ProjectGroup(String suffix, String displayName) {
        this.suffix = suffix;
        this.displayName = displayName;
    }

    /** Access-level code as used by XNAT: {@code owner}, {@code member}, {@code collaborator}. */
    public String suffix() {
        return suffix;
    }

    /** Display name: {@code Owners}, {@code Members}, {@code Collaborators}. */
    public String displayName() {
        return displayName;
    }

    /** Group id within a project, e.g. {@code P1_member}. */
    public String groupId(String projectId) {
        return projectId + "_" + suffix;
    }

    /**
     * Resolves a group path segment the way XNAT's membership resource does: exact group id
     * ({@code P1_member}), then {@code {p}_{segment}} ({@code member}), then display name ({@code Members}).
     */
    public static Optional<ProjectGroup> resolve(String projectId, String segment) {
        for (ProjectGroup g : values()) {
            if (g.groupId(projectId).equals(segment)) {
                return Optional.of(g);
            }
        }
        for (ProjectGroup g : values()) {
            if (g.suffix.equals(segment)) {
                return Optional.of(g);
            }
        }
        for (ProjectGroup g : values()) {
            if (g.displayName.equals(segment)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
