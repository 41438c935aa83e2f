package org.flip.imagingapi.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** E-mails never reach a log line; a short SHA-256 fingerprint lets two lines be correlated. */
final class Fingerprints {

    private Fingerprints() {
    }

    static String email(String email) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((email == null ? "" : email.strip().toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
            return "email#" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
