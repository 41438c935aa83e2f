package org.flip.imagingapi.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RandomPasswordsTest {

    final RandomPasswords passwords = new RandomPasswords();

    @RepeatedTest(20)
    void everyPasswordIsLongAndMixesEveryCharacterClass() {
        String password = passwords.next();

        assertThat(password).hasSizeGreaterThanOrEqualTo(24).containsPattern("[A-Z]").containsPattern("[a-z]")
                .containsPattern("[0-9]").containsPattern("[^A-Za-z0-9]");
    }

    @Test
    void passwordsDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(passwords.next());
        }
        assertThat(seen).hasSize(1000);
    }
}
