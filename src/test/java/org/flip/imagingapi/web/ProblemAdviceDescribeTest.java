package org.flip.imagingapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.UUID;
import org.flip.imagingapi.project.PrearchiveCode;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/** A 400/422 says what a parameter must be in words, never with a Java class name. */
class ProblemAdviceDescribeTest {

    @Test
    void knownTypesAreNamedInWords() {
        assertThat(ProblemAdvice.describe(UUID.class)).isEqualTo("a UUID");
        assertThat(ProblemAdvice.describe(Integer.class)).isEqualTo("an integer");
        assertThat(ProblemAdvice.describe(long.class)).isEqualTo("an integer");
        assertThat(ProblemAdvice.describe(Double.class)).isEqualTo("a number");
        assertThat(ProblemAdvice.describe(Boolean.class)).isEqualTo("true or false");
        assertThat(ProblemAdvice.describe(LocalDate.class)).isEqualTo("a date (YYYY-MM-DD)");
    }

    enum Group { Owners, Members, Collaborators }

    @Test
    void anEnumListsItsValues() {
        assertThat(ProblemAdvice.describe(Group.class)).isEqualTo("one of Owners, Members or Collaborators");
    }

    @Test
    void noOtherTypeLeaksItsName() {
        for (Class<?> type : new Class<?>[] {PrearchiveCode.class, HttpMethod.class, Object.class, StringBuilder.class}) {
            String words = ProblemAdvice.describe(type);
            assertThat(words).as(type.getName()).doesNotContain(type.getSimpleName()).isEqualTo("a valid value");
        }
    }
}
