package org.flip.imagingapi.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.flip.imagingapi.web.Identifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference §14.4 "to_create_imaging_user", adapted: the reference's {@code john.doe1} is {@code johndoe1}. */
class UsernamesTest {

    @Test
    void theLocalPartWithoutSymbolsIsTheUsername() {
        assertThat(Usernames.derive("john.doe@hospital.nhs.uk", Set.of())).isEqualTo("johndoe");
    }

    @Test
    void aCollisionNumbersTheCleanedStem() {
        assertThat(Usernames.derive("john.doe@hospital.nhs.uk", Set.of("johndoe"))).isEqualTo("johndoe1");
        assertThat(Usernames.derive("john.doe@hospital.nhs.uk", Set.of("johndoe", "johndoe1"))).isEqualTo("johndoe2");
    }

    @Test
    void collisionsAreCaseInsensitive() {
        Set<String> taken = new HashSet<>(Set.of("johndoe"));

        assertThat(Usernames.derive("JohnDoe@hospital.nhs.uk", taken)).isEqualTo("JohnDoe1");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "o'brien+tag@x.org, obrientag",
            "jean-luc picard@x.org, jeanlucpicard",
            "'  12ab_cd@x.org', abcd",
            "007@x.org, user",
            "'.-_+@x.org', user",
            "José.Ñúñez@x.org, JoseNunez",
            "no-at-sign, noatsign",
            "a@b@c.org, ab"
    })
    void everyUsernameIsLettersAndDigitsStartingWithALetter(String email, String expected) {
        String username = Usernames.derive(email, Set.of());

        assertThat(username).isEqualTo(expected).matches("^[A-Za-z][A-Za-z0-9]*$").matches(Identifiers.USERNAME);
    }

    @Test
    void usernamesStayWithinSixtyFourCharactersEvenWhenNumbered() {
        String local = "a".repeat(100);
        String first = Usernames.derive(local + "@x.org", Set.of());
        String second = Usernames.derive(local + "@x.org", Set.of(first.toLowerCase()));

        assertThat(first).hasSize(64);
        assertThat(second).hasSize(64).endsWith("1").matches(Identifiers.USERNAME);
    }

    @Test
    void xnatsReservedAccountsAreNeverReused() {
        assertThat(Usernames.derive("guest@x.org", Set.of())).isEqualTo("guest1");
        assertThat(Usernames.derive("admin@x.org", Set.of())).isEqualTo("admin1");
    }
}
