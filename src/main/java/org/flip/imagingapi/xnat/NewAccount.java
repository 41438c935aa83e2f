package org.flip.imagingapi.xnat;

/**
 * An XNAT account to create. {@code enabled} and {@code verified} are always sent: XNAT copies
 * {@code verified} only when {@code enabled} is present, and an omitted flag is read differently
 * by different XNAT versions.
 */
public record NewAccount(String username, String password, String email, String firstName, String lastName,
        boolean enabled, boolean verified) {

    @Override
    public String toString() {
        return "NewAccount[username=" + username + ", password=<redacted>, enabled=" + enabled
                + ", verified=" + verified + "]";
    }
}
