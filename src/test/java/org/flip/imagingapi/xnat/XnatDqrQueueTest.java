package org.flip.imagingapi.xnat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.flip.imagingapi.web.XnatProblems;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DQR queue client. Reference checklist §14.1 delete_queued_import_requests counterparts: one
 * queued row and POST 200; no rows (no POST at all); and the POST 500 case the reference never ran.
 */
class XnatDqrQueueTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private XnatDqrQueue queue;

    @BeforeEach
    void setUp() {
        queue = new XnatDqrQueue(ProjectsTestGateway.against(wm));
    }

    private static String row(long id, String project) {
        return "{\"id\":" + id + ",\"xnatProject\":\"" + project + "\",\"status\":\"QUEUED\",\"enabled\":true}";
    }

    private static void stubPage(int page, String body) {
        wm.stubFor(get(urlEqualTo("/xapi/dqr/import/queue?all=true&page=" + page + "&pageSize=100"))
                .willReturn(okJson(body)));
    }

    @Test
    void onlyThisProjectsQueuedRequestsAreDeletedInOnePost() {
        stubPage(1, "[" + row(11, "P1") + "," + row(12, "OTHER") + "," + row(13, "P1") + "]");
        wm.stubFor(post(urlEqualTo("/xapi/dqr/import/queue")).willReturn(okJson("true")));
        assertThat(queue.cancelQueuedImports("P1")).isEqualTo(2);
        wm.verify(1, postRequestedFor(urlEqualTo("/xapi/dqr/import/queue"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("[11,13]")));
    }

    @Test
    void anEmptyQueueMeansNoDeleteCall() {
        stubPage(1, "[]");
        assertThat(queue.cancelQueuedImports("P1")).isZero();
        wm.verify(0, postRequestedFor(urlPathEqualTo("/xapi/dqr/import/queue")));
    }

    @Test
    void theQueueIsPagedThroughUntilAShortPage() {
        String full = IntStream.rangeClosed(1, 100).mapToObj(i -> row(i, i % 2 == 0 ? "P1" : "P2"))
                .collect(Collectors.joining(",", "[", "]"));
        stubPage(1, full);
        stubPage(2, "[" + row(101, "P1") + "]");
        wm.stubFor(post(urlEqualTo("/xapi/dqr/import/queue")).willReturn(okJson("true")));
        assertThat(queue.cancelQueuedImports("P1")).isEqualTo(51);
        wm.verify(2, getRequestedFor(urlPathEqualTo("/xapi/dqr/import/queue")));
        wm.verify(0, getRequestedFor(urlEqualTo("/xapi/dqr/import/queue?all=true&page=3&pageSize=100")));
    }

    @Test
    void aPluginThatIgnoresPagingDoesNotLoopForever() {
        String full = IntStream.rangeClosed(1, 100).mapToObj(i -> row(i, "P1"))
                .collect(Collectors.joining(",", "[", "]"));
        wm.stubFor(get(urlPathEqualTo("/xapi/dqr/import/queue")).willReturn(okJson(full)));
        wm.stubFor(post(urlEqualTo("/xapi/dqr/import/queue")).willReturn(okJson("true")));
        assertThat(queue.cancelQueuedImports("P1")).isEqualTo(100);
        wm.verify(2, getRequestedFor(urlPathEqualTo("/xapi/dqr/import/queue")));
    }

    @Test
    void aPartial404MeansTheOthersWereAlreadyDeleted() {
        stubPage(1, "[" + row(11, "P1") + "," + row(13, "P1") + "]");
        wm.stubFor(post(urlEqualTo("/xapi/dqr/import/queue")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "text/plain")
                .withBody("Deleted 1 queued requests, but the remaining IDs were not found: 13")));
        assertThat(queue.cancelQueuedImports("P1")).isEqualTo(2);
    }

    @Test
    void aDeleteAnswered500IsABadGateway() {
        stubPage(1, "[" + row(11, "P1") + "]");
        wm.stubFor(post(urlEqualTo("/xapi/dqr/import/queue")).willReturn(aResponse().withStatus(500)
                .withBody(ProjectsTestGateway.HTML_500)));
        assertThatThrownBy(() -> queue.cancelQueuedImports("P1")).isInstanceOfSatisfying(XnatFailure.class,
                e -> assertThat(e.detail()).contains("DQR queued import deletion failed: HTTP 500"));
    }

    @Test
    void aListingForbiddenToTheServiceAccountIsABadGateway() {
        wm.stubFor(get(urlPathEqualTo("/xapi/dqr/import/queue")).willReturn(aResponse().withStatus(403)));
        assertThatThrownBy(() -> queue.cancelQueuedImports("P1")).isInstanceOfSatisfying(XnatFailure.class,
                e -> assertThat(XnatProblems.of(e).status().value()).isEqualTo(502));
        wm.verify(0, postRequestedFor(urlPathEqualTo("/xapi/dqr/import/queue")));
    }

    @Test
    void anXnatWithoutTheDqrPluginHasNothingToCancel() {
        wm.stubFor(get(urlPathEqualTo("/xapi/dqr/import/queue")).willReturn(aResponse().withStatus(404)));
        assertThat(queue.cancelQueuedImports("P1")).isZero();
    }
}
