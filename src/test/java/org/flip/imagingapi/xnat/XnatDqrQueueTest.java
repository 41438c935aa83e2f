package org.flip.imagingapi.xnat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
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
 * Then the three DQR API generations (xnat-rest-behaviour §9.3), how many probes each costs, and
 * "DQR present but its queue unreadable" as a failure, never "nothing to cancel".
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
    void anXnatWithoutTheDqrPluginHasNothingToCancelAfterOneProbePerGeneration() {
        // WireMock answers every unstubbed path 404, as Spring does for an unmapped /xapi path.
        assertThat(queue.cancelQueuedImports("P1")).isZero();
        wm.verify(1, getRequestedFor(urlPathEqualTo("/xapi/dqr/import/queue")));
        wm.verify(1, getRequestedFor(urlPathEqualTo("/xapi/dqr/query/queue")));
        wm.verify(1, getRequestedFor(urlEqualTo("/xapi/dqr/query/queue/all/paged?page=0&size=100")));
        wm.verify(0, postRequestedFor(urlPathMatching("/xapi/dqr/.*")));
    }

    @Test
    void theMiddleGenerationIsListedAndEmptiedUnderQueryQueue() {
        wm.stubFor(get(urlEqualTo("/xapi/dqr/query/queue?page=1&pageSize=100"))
                .willReturn(okJson("[" + row(21, "P1") + "," + row(22, "OTHER") + "]")));
        wm.stubFor(post(urlEqualTo("/xapi/dqr/query/queue")).willReturn(okJson("true")));

        assertThat(queue.cancelQueuedImports("P1")).isEqualTo(1);

        wm.verify(1, postRequestedFor(urlEqualTo("/xapi/dqr/query/queue")).withRequestBody(equalToJson("[21]")));
        wm.verify(1, getRequestedFor(urlPathEqualTo("/xapi/dqr/import/queue")));
        wm.verify(0, getRequestedFor(urlPathEqualTo("/xapi/dqr/query/queue/all/paged")));
        wm.verify(0, postRequestedFor(urlPathEqualTo("/xapi/dqr/import/queue")));
    }

    @Test
    void theGenerationThatAnsweredIsAskedFirstNextTime() {
        wm.stubFor(get(urlEqualTo("/xapi/dqr/query/queue?page=1&pageSize=100")).willReturn(okJson("[]")));
        queue.cancelQueuedImports("P1");
        wm.resetRequests();

        queue.cancelQueuedImports("P2");

        wm.verify(1, getRequestedFor(urlPathEqualTo("/xapi/dqr/query/queue")));
        wm.verify(0, getRequestedFor(urlPathEqualTo("/xapi/dqr/import/queue")));
    }

    @Test
    void theOldestGenerationIsPagedFromZeroUntilIts204AndEmptiedThroughDeleteRequests() {
        String full = IntStream.rangeClosed(1, 100).mapToObj(i -> row(i, i <= 2 ? "P1" : "P2"))
                .collect(Collectors.joining(",", "[", "]"));
        wm.stubFor(get(urlEqualTo("/xapi/dqr/query/queue/all/paged?page=0&size=100")).willReturn(okJson(full)));
        wm.stubFor(get(urlEqualTo("/xapi/dqr/query/queue/all/paged?page=1&size=100"))
                .willReturn(aResponse().withStatus(204)));
        wm.stubFor(post(urlEqualTo("/xapi/dqr/query/queue/deleteRequests")).willReturn(okJson("true")));

        assertThat(queue.cancelQueuedImports("P1")).isEqualTo(2);

        wm.verify(1, postRequestedFor(urlEqualTo("/xapi/dqr/query/queue/deleteRequests"))
                .withRequestBody(equalToJson("[1,2]")));
        wm.verify(2, getRequestedFor(urlPathEqualTo("/xapi/dqr/query/queue/all/paged")));
        wm.verify(0, deleteRequestedFor(urlPathMatching("/xapi/dqr/.*")));
    }

    @Test
    void theOldestBulkDeleteStoppingAtAnUnknownIdIsFinishedOneByOne() {
        wm.stubFor(get(urlEqualTo("/xapi/dqr/query/queue/all/paged?page=0&size=100"))
                .willReturn(okJson("[" + row(5, "P1") + "," + row(6, "P1") + "," + row(7, "P1") + "]")));
        wm.stubFor(post(urlEqualTo("/xapi/dqr/query/queue/deleteRequests")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "text/plain")
                .withBody("Unable to find requested file or resource: No queued PACS request with ID 5 found")));
        wm.stubFor(delete(urlEqualTo("/xapi/dqr/query/queue/request/5")).willReturn(aResponse().withStatus(404)));
        wm.stubFor(delete(urlPathMatching("/xapi/dqr/query/queue/request/[67]")).willReturn(okJson("true")));

        assertThat(queue.cancelQueuedImports("P1")).isEqualTo(3);

        wm.verify(3, deleteRequestedFor(urlPathMatching("/xapi/dqr/query/queue/request/\\d+")));
    }

    @Test
    void aListingForbiddenToTheServiceAccountIsAFailureThatSaysDqrIsThereAndNothingWasDeleted() {
        wm.stubFor(get(urlPathEqualTo("/xapi/dqr/import/queue")).willReturn(aResponse().withStatus(403)));

        assertThatThrownBy(() -> queue.cancelQueuedImports("P1")).isInstanceOfSatisfying(XnatFailure.Rejected.class,
                e -> assertThat(e.detail()).contains("DQR plugin (/xapi/dqr/import/queue) could not list its queue",
                        "project was not deleted", "HTTP 403", "site administrator"));
        // DQR answered: no other generation is probed.
        wm.verify(0, getRequestedFor(urlPathEqualTo("/xapi/dqr/query/queue")));
    }

    @Test
    void aMiddleGenerationListingAnswered500IsAFailureNotNothingToCancel() {
        wm.stubFor(get(urlPathEqualTo("/xapi/dqr/query/queue")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "text/plain").withBody("There was an error in the request : null")));

        assertThatThrownBy(() -> queue.cancelQueuedImports("P1")).isInstanceOfSatisfying(XnatFailure.class,
                e -> assertThat(e.detail()).contains("(/xapi/dqr/query/queue) could not list its queue", "HTTP 500"));
        wm.verify(0, getRequestedFor(urlPathEqualTo("/xapi/dqr/query/queue/all/paged")));
    }

    @Test
    void anHtmlPageInsteadOfTheQueueIsUnusableNotNothingToCancel() {
        wm.stubFor(get(urlPathEqualTo("/xapi/dqr/import/queue")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html><body>Login</body></html>")));

        assertThatThrownBy(() -> queue.cancelQueuedImports("P1")).isInstanceOfSatisfying(XnatFailure.Unusable.class,
                e -> assertThat(e.detail()).contains("DQR plugin", "not deleted"));
    }

    @Test
    void aLaterPageThatFailsIsAFailureAndNothingIsDeleted() {
        String full = IntStream.rangeClosed(1, 100).mapToObj(i -> row(i, "P1"))
                .collect(Collectors.joining(",", "[", "]"));
        stubPage(1, full);
        wm.stubFor(get(urlEqualTo("/xapi/dqr/import/queue?all=true&page=2&pageSize=100"))
                .willReturn(aResponse().withStatus(403)));

        assertThatThrownBy(() -> queue.cancelQueuedImports("P1")).isInstanceOf(XnatFailure.class);
        wm.verify(0, postRequestedFor(urlPathMatching("/xapi/dqr/.*")));
    }
}
