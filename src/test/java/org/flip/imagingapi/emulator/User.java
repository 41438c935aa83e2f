package org.flip.imagingapi.emulator;

import java.util.Set;

/**
 * An XNAT user account. Immutable; {@link EmulatorState} replaces it on update.
 *
 * @param id                  internal numeric id
 * @param email               may be null (the built-in guest has none)
 * @param password            plain text (emulator only); null = cannot log in with a password
 * @param lastModified        epoch ms or null (omitted from the User JSON when null)
 * @param lastSuccessfulLogin epoch ms or null (never logged in)
 * @param roles               site roles ({@link #ADMINISTRATOR}, {@link #CONTAINER_MANAGER}, {@link #DQR},
 *                            {@link #NON_EXPIRING}) and
 *                            site groups ({@link #ALL_DATA_ADMIN}, {@link #ALL_DATA_ACCESS})
 */
public record User(int id, String username, String email, String firstName, String lastName, boolean enabled,
                   boolean verified, String password, Long lastModified, Long lastSuccessfulLogin,
                   Set<String> roles) {

    public static final String ADMINISTRATOR = "Administrator";
    public static final String CONTAINER_MANAGER = "ContainerManager";
    public static final String DQR = "Dqr";
    /** Exempts the account from password expiry ({@code XnatExpiredPasswordFilter}). */
    public static final String NON_EXPIRING = "non_expiring";
    /** Site group whose members see every project; the only group for which /data/projects filters apply. */
    public static final String ALL_DATA_ADMIN = "ALL_DATA_ADMIN";
    public static final String ALL_DATA_ACCESS = "ALL_DATA_ACCESS";
    /** Roles given to a "site admin" account by {@link XnatEmulator#addAccount}. */
    public static final Set<String> SITE_ADMIN_ROLES = Set.of(ADMINISTRATOR, CONTAINER_MANAGER, DQR, ALL_DATA_ADMIN);

    public User {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public boolean isSiteAdmin() {
        return roles.contains(ADMINISTRATOR);
    }

    /** Member of ALL_DATA_ADMIN (the /data/projects shortcut filters only work for these). */
    public boolean isAllDataAdmin() {
        return roles.contains(ALL_DATA_ADMIN);
    }

    /** Can read every project (admin, ALL_DATA_ADMIN or ALL_DATA_ACCESS). */
    public boolean canReadAll() {
        return isSiteAdmin() || isAllDataAdmin() || roles.contains(ALL_DATA_ACCESS);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean isGuest() {
        return "guest".equals(username);
    }

    public User withEnabled(boolean value) {
        return new User(id, username, email, firstName, lastName, value, verified, password, lastModified,
                lastSuccessfulLogin, roles);
    }

    public User withLastSuccessfulLogin(Long value) {
        return new User(id, username, email, firstName, lastName, enabled, verified, password, lastModified, value,
                roles);
    }

    public User withRoles(Set<String> value) {
        return new User(id, username, email, firstName, lastName, enabled, verified, password, lastModified,
                lastSuccessfulLogin, value);
    }
}
