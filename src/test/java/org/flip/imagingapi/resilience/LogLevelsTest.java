package org.flip.imagingapi.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.flip.imagingapi.EmulatorFlowTest;
import org.flip.imagingapi.emulator.Fault;
import org.flip.imagingapi.emulator.XnatOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;

/**
 * Who is at fault decides the level: a caller asking for what does not exist is INFO or WARN, an
 * XNAT that fails is WARN, and ERROR is kept for our own bugs (UnexpectedFailureTest), so that an
 * alert on ERROR lines pages nobody for a caller's typo.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogLevelsTest extends EmulatorFlowTest {

    private int get(String path) {
        return rest.exchange(path, HttpMethod.GET, new HttpEntity<>(keyHeaders()), String.class).getStatusCode().value();
    }

    /** The lines logged since {@code from} that mention {@code text}. */
    private static List<String> lines(CapturedOutput output, int from, String text) {
        return output.getAll().substring(from).lines().filter(line -> line.contains(text)).toList();
    }

    private static List<String> errors(CapturedOutput output, int from) {
        return output.getAll().substring(from).lines().filter(line -> line.contains(" ERROR ")).toList();
    }

    @Test
    void anUnregisteredImageOnGetCommandsIsAWarningNotAnError(CapturedOutput output) {
        int from = output.getAll().length();

        assertThat(get("/commands?image=example.org/not-registered:1.0")).isEqualTo(404);

        assertThat(lines(output, from, "No XNAT command for image")).singleElement()
                .satisfies(line -> assertThat(line).contains(" WARN "));
        assertThat(errors(output, from)).isEmpty();
    }

    @Test
    void anUnknownProjectIsNoError(CapturedOutput output) {
        int from = output.getAll().length();

        assertThat(get("/projects/NO_SUCH_PROJECT")).isEqualTo(404);
        assertThat(get("/projects/NO_SUCH_PROJECT/experiments")).isEqualTo(404);

        assertThat(errors(output, from)).isEmpty();
    }

    @Test
    void anXnatFailureIsAWarningNotAnError(CapturedOutput output) {
        int from = output.getAll().length();
        xnat.inject(XnatOps.LIST_PROJECTS, Fault.status(500, "<html><h3>Injected failure</h3></html>").times(3));

        assertThat(get("/projects")).isEqualTo(502);

        assertThat(lines(output, from, "Injected failure")).isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains(" WARN "));
        assertThat(errors(output, from)).isEmpty();
    }
}
