package org.flip.imagingapi.user;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * XNAT usernames for hub users, from the e-mail's local part: ASCII letters and digits only,
 * starting with a letter, at most 64 characters (inside XNAT's rule, and safe in any URL).
 *
 * <p>Fixes the reference's derivation: it kept spaces and hyphens, could produce an empty
 * username, compared case-sensitively, and numbered collisions on the raw local part
 * ({@code john.doe1}); here a collision numbers the cleaned stem ({@code johndoe1}).
 */
final class Usernames {

    static final int MAX_LENGTH = 64;
    static final String FALLBACK = "user";
    /** Accounts XNAT has (or reserves) that a hub user must never be mapped onto. */
    private static final Set<String> RESERVED = Set.of("guest", "admin", "administrator");

    private Usernames() {
    }

    /**
     * A username for the e-mail that is not taken.
     *
     * @param takenLowerCase usernames already in use, lower-cased (XNAT accounts compare loosely,
     *                       and two accounts differing only in case would confuse people)
     */
    static String derive(String email, Set<String> takenLowerCase) {
        String stem = stem(email);
        if (isFree(stem, takenLowerCase)) {
            return stem;
        }
        for (long n = 1; ; n++) {
            String suffix = Long.toString(n);
            String candidate = stem.substring(0, Math.min(stem.length(), MAX_LENGTH - suffix.length())) + suffix;
            if (isFree(candidate, takenLowerCase)) {
                return candidate;
            }
        }
    }

    /** The cleaned local part, before any collision numbering. */
    static String stem(String email) {
        String local = email == null ? "" : email;
        int at = local.lastIndexOf('@');
        if (at >= 0) {
            local = local.substring(0, at);
        }
        // Accented letters keep their base letter (José -> Jose) rather than vanishing.
        local = Normalizer.normalize(local, Normalizer.Form.NFD);
        StringBuilder stem = new StringBuilder(Math.min(local.length(), MAX_LENGTH));
        for (int i = 0; i < local.length() && stem.length() < MAX_LENGTH; i++) {
            char c = local.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean digit = c >= '0' && c <= '9';
            // XNAT usernames start with a letter: leading digits are dropped.
            if (letter || (digit && !stem.isEmpty())) {
                stem.append(c);
            }
        }
        return stem.isEmpty() ? FALLBACK : stem.toString();
    }

    private static boolean isFree(String candidate, Set<String> takenLowerCase) {
        String key = candidate.toLowerCase(Locale.ROOT);
        return !takenLowerCase.contains(key) && !RESERVED.contains(key);
    }
}
