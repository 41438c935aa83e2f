package org.flip.imagingapi.user;

import java.security.SecureRandom;

/**
 * Passwords for accounts created for hub users. Nobody ever sees one: the user sets their own
 * through the invitation. XNAT still needs a password on the account (its set-password page fails
 * without one), and it must pass XNAT's complexity rules, so every character class is present.
 */
final class RandomPasswords {

    static final int LENGTH = 32;
    private static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String LOWER = "abcdefghijkmnopqrstuvwxyz";
    private static final String DIGITS = "23456789";
    private static final String SYMBOLS = "!#$%()*+,-.:;=?@[]^_{}~";
    private static final String ALL = UPPER + LOWER + DIGITS + SYMBOLS;

    private final SecureRandom random;

    RandomPasswords(SecureRandom random) {
        this.random = random;
    }

    RandomPasswords() {
        this(new SecureRandom());
    }

    String next() {
        char[] password = new char[LENGTH];
        password[0] = pick(UPPER);
        password[1] = pick(LOWER);
        password[2] = pick(DIGITS);
        password[3] = pick(SYMBOLS);
        for (int i = 4; i < LENGTH; i++) {
            password[i] = pick(ALL);
        }
        for (int i = LENGTH - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            char swap = password[i];
            password[i] = password[j];
            password[j] = swap;
        }
        return new String(password);
    }

    private char pick(String alphabet) {
        return alphabet.charAt(random.nextInt(alphabet.length()));
    }
}
