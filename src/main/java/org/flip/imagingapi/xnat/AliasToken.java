package org.flip.imagingapi.xnat;

/** An XNAT alias token minted for a user: it logs them in once to set a password. */
public record AliasToken(String alias, String secret) {

    @Override
    public String toString() {
        return "AliasToken[alias=" + alias + ", secret=<redacted>]";
    }
}
