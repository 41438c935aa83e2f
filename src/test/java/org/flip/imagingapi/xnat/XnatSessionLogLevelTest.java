package org.flip.imagingapi.xnat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.flip.imagingapi.config.XnatProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Issue 17's log levels: XNAT refusing the service account is XNAT's side (or its configuration),
 * a WARN like every XNAT failure; ERROR is kept for our own bugs. Its own test: in a shared context
 * a rejected login would start a back-off that other tests would meet.
 */
@ExtendWith(OutputCaptureExtension.class)
class XnatSessionLogLevelTest {

    @Test
    void aRejectedServiceAccountLoginIsAWarning(CapturedOutput output) {
        XnatSession session = new XnatSession(new XnatProperties.Login(Duration.ofSeconds(5), Duration.ofMinutes(30)),
                Clock.systemUTC(), new SimpleMeterRegistry());

        assertThatThrownBy(() -> session.current(() -> {
            throw XnatFailure.serviceAccountRejected("XNAT rejected the service account (HTTP 401 on login).", 401);
        })).isInstanceOf(XnatFailure.Rejected.class);

        assertThat(output.getAll().lines().filter(line -> line.contains("rejected the service account login")))
                .singleElement().satisfies(line -> assertThat(line).contains("WARN").doesNotContain("ERROR"));
    }
}
