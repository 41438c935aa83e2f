package org.flip.imagingapi.xnat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import org.flip.imagingapi.config.XnatProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

/** A real gateway pointed at WireMock, without Spring, for the project/experiment/DQR clients. */
final class ProjectsTestGateway {

    private ProjectsTestGateway() {
    }

    static XnatGateway against(WireMockExtension wm) {
        wm.stubFor(post(urlEqualTo("/data/JSESSION")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withBody("0123456789ABCDEF0123456789ABCDEF")));
        XnatProperties properties = new XnatProperties(URI.create(wm.baseUrl()), "imaging-api", "secret",
                new XnatProperties.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(20),
                        Duration.ofSeconds(15)),
                new XnatProperties.Login(Duration.ofSeconds(5), Duration.ofMinutes(30)),
                Duration.ofSeconds(10), 8, DataSize.ofMegabytes(16));
        return new XnatGateway(WebClient.builder(), properties, new ObjectMapper(), new SimpleMeterRegistry(),
                XnatResilienceDefaults.retries(), XnatResilienceDefaults.breakers(), XnatResilienceDefaults.bulkheads());
    }

    static String resultSet(String rowsJson) {
        return "{\"ResultSet\":{\"Result\":[" + rowsJson + "],\"totalRecords\":\"1\"}}";
    }

    static String projectRow(String id, String secondaryId) {
        return "{\"ID\":\"" + id + "\",\"secondary_ID\":\"" + secondaryId + "\",\"name\":\"Name " + id
                + "\",\"description\":\"\",\"pi_firstname\":\"\",\"pi_lastname\":\"\",\"URI\":\"/data/projects/"
                + id + "\"}";
    }

    static final String HTML_500 = "<html><head><title>Status page</title></head><body><h3>Internal Server Error"
            + "</h3><p>details</p></body></html>";
}
