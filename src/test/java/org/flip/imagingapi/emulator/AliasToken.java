package org.flip.imagingapi.emulator;

/**
 * An XNAT alias token. {@code username} is what XNAT serialises as {@code xdatUserId}.
 * Used as Basic credentials: user = alias, password = secret.
 */
public record AliasToken(long id, String alias, String secret, String username, boolean singleUse, boolean enabled,
                         long created, long estimatedExpirationTime) {

    public AliasToken withEnabled(boolean value) {
        return new AliasToken(id, alias, secret, username, singleUse, value, created, estimatedExpirationTime);
    }

    public boolean isExpired(long now) {
        return now > estimatedExpirationTime;
    }
}
