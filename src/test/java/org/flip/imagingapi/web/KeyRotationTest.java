package org.flip.imagingapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Rotating the key without downtime (README "Rotating the key"): while TRUST_INTERNAL_SERVICE_KEY_PREVIOUS
 * is set both keys are accepted, which one matched is counted and never logged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "xnat.url=http://127.0.0.1:9", "xnat.service-user=svc", "xnat.service-password=pw",
        "TRUST_INTERNAL_SERVICE_KEY=" + KeyRotationTest.NEW_KEY,
        "TRUST_INTERNAL_SERVICE_KEY_PREVIOUS=" + KeyRotationTest.OLD_KEY})
@ExtendWith(OutputCaptureExtension.class)
class KeyRotationTest {

    static final String NEW_KEY = "new-Kq8Vt2xLm9RfK4wZp8NcB1yHd6JsG3";
    static final String OLD_KEY = "old-Zr5Tn8Wq2Lk7Xv4Mb9Pc3Hy6Gd1Js0";

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    private int status(String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/no-such-route"));
        if (key != null) {
            request.header("X-Trust-Internal-Service-Key", key);
        }
        // An unknown route: past the key filter it is a 404, before it a 401; no XNAT call either way.
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private double accepted(String key) {
        return meters.get("inbound.key.accepted").tag("key", key).counter().count();
    }

    @Test
    void bothKeysAreAcceptedAndEachIsCountedUnderItsOwnTag(CapturedOutput output) throws Exception {
        double current = accepted("current");
        double previous = accepted("previous");

        assertThat(status(NEW_KEY)).isEqualTo(404);
        assertThat(status(NEW_KEY)).isEqualTo(404);
        assertThat(status(OLD_KEY)).isEqualTo(404);

        assertThat(accepted("current") - current).isEqualTo(2.0);
        assertThat(accepted("previous") - previous).isEqualTo(1.0);
        assertThat(output.getAll()).doesNotContain(NEW_KEY).doesNotContain(OLD_KEY)
                .doesNotContainIgnoringCase("previous key");
    }

    @Test
    void anyOtherKeyIsStill401AndCountsForNeither() throws Exception {
        double current = accepted("current");
        double previous = accepted("previous");

        for (String wrong : new String[] {null, "", NEW_KEY + "x", OLD_KEY.substring(1), NEW_KEY.toUpperCase(),
                NEW_KEY + "," + OLD_KEY}) {
            assertThat(status(wrong)).as("key %s", wrong).isEqualTo(401);
        }
        assertThat(accepted("current")).isEqualTo(current);
        assertThat(accepted("previous")).isEqualTo(previous);
    }
}
