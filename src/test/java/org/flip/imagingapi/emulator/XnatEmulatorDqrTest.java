package org.flip.imagingapi.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class XnatEmulatorDqrTest extends DemoEmulatorTest {

    private TestClient operator;

    @BeforeEach
    void setUp() {
        operator = TestClient.basic(xnat, "dqr-operator", "dqr-password");
    }

    private static List<Long> ids(JsonNode arr) {
        List<Long> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.path("id").asLong()));
        return out;
    }

    @Test
    void theQueueListsOnlyTheCallersOwnRequestsUnlessAllIsTrue() {
        JsonNode own = TestClient.json(admin.get("/xapi/dqr/import/queue"));
        JsonNode all = TestClient.json(admin.get("/xapi/dqr/import/queue?all=true"));

        assertThat(own).isEmpty();
        assertThat(all).hasSize(2);
        assertThat(all.get(0).path("username").asText()).isEqualTo("dqr-operator");
        assertThat(all.get(0).path("status").asText()).isEqualTo("QUEUED");
        assertThat(all.get(0).path("disabled").asInt()).isZero();
        assertThat(all.get(0).path("queuedTime").isNumber()).isTrue();
        assertThat(TestClient.json(operator.get("/xapi/dqr/import/queue"))).hasSize(2);
    }

    @Test
    void allTrueNeedsAllDataAccess() {
        var r = operator.get("/xapi/dqr/import/queue?all=true");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void sortingAndPaging() {
        for (int i = 0; i < 5; i++) {
            xnat.state().queueDqrRequest("imaging-api", Seeds.NEURO, "1.2.3." + i);
        }
        List<Long> desc = ids(TestClient.json(admin.get("/xapi/dqr/import/queue")));
        List<Long> page2 = ids(TestClient.json(admin.get("/xapi/dqr/import/queue?sort=asc&page=2&pageSize=2")));

        assertThat(desc).hasSize(5);
        assertThat(desc.get(0)).isGreaterThan(desc.get(4));
        assertThat(page2).hasSize(2);
        assertThat(page2.get(0)).isLessThan(page2.get(1));
        assertThat(admin.get("/xapi/dqr/import/queue?sort=sideways").statusCode()).isEqualTo(400);
    }

    @Test
    void bulkDeleteOfKnownIdsAnswersTrue() {
        List<Long> all = ids(TestClient.json(admin.get("/xapi/dqr/import/queue?all=true")));

        var r = admin.postJson("/xapi/dqr/import/queue", all.toString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("true");
        assertThat(xnat.state().queuedRequests()).isEmpty();
    }

    @Test
    void bulkDeleteWithUnknownIdsDeletesTheFoundOnesThenAnswers404() {
        long known = xnat.state().queuedRequests().get(0).id();

        var r = admin.postJson("/xapi/dqr/import/queue", "[" + known + ", 9999]");

        assertThat(r.statusCode()).isEqualTo(404);
        // the plugin's NotFoundException through XapiRestControllerAdvice.handleNotFoundException
        assertThat(r.body()).isEqualTo("Unable to find requested file or resource: "
                + "Deleted 1 queued requests, but the remaining IDs were not found: 9999");
        assertThat(xnat.state().queuedRequest(known)).isEmpty();
        assertThat(xnat.state().queuedRequests()).hasSize(1);
    }

    @Test
    void singleDeleteAnswersTrueThen404() {
        long id = xnat.state().queuedRequests().get(0).id();

        var first = admin.delete("/xapi/dqr/import/queue/" + id);
        var second = admin.delete("/xapi/dqr/import/queue/" + id);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("true");
        assertThat(second.statusCode()).isEqualTo(404);
    }

    @Test
    void importQueuesOneRequestPerStudyForTheCaller() {
        var r = admin.postJson("/xapi/dqr/import", "{\"pacsId\":1,\"aeTitle\":\"XNAT\",\"port\":8104,"
                + "\"projectId\":\"" + Seeds.NEURO + "\",\"forceImport\":true,\"studies\":[{\"studyInstanceUid\":"
                + "\"1.2.3\",\"accessionNumber\":\"ACC1\",\"relabelMap\":{\"Session\":\"ACC1\"}}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestClient.json(r)).hasSize(1);
        assertThat(TestClient.json(admin.get("/xapi/dqr/import/queue")).get(0).path("accessionNumber").asText())
                .isEqualTo("ACC1");
    }

    @Test
    void unknownIdsWinOverAnotherUsersIdsAndTheCountIncludesTheForbiddenOnes() {
        List<Long> operators = ids(TestClient.json(operator.get("/xapi/dqr/import/queue")));
        long services = xnat.state().queueDqrRequest(XnatEmulator.SERVICE_USER, Seeds.NEURO, "1.2.3").id();

        var r = operator.postJson("/xapi/dqr/import/queue", "[" + operators.get(0) + ", " + services + ", 9999]");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("Unable to find requested file or resource: "
                + "Deleted 2 queued requests, but the remaining IDs were not found: 9999");
        assertThat(xnat.state().queuedRequest(operators.get(0))).isEmpty();
        assertThat(xnat.state().queuedRequest(services)).as("another user's row stays").isPresent();
        var forbidden = operator.postJson("/xapi/dqr/import/queue", "[" + services + "]");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).isEmpty();
    }

    // ------------------------------------------------------------------ older API generations (doc 9.3)

    @Test
    void theOldestDqrHasNoImportQueueButQueryQueueAll() {
        xnat.setDqrGeneration(DqrGeneration.QUERY_QUEUE_ALL);
        List<Long> seeded = xnat.state().queuedRequests().stream().map(QueuedRequest::id).toList();

        var newest = admin.get("/xapi/dqr/import/queue");
        var all = admin.get("/xapi/dqr/query/queue/all");

        assertThat(newest.statusCode()).isEqualTo(404);
        assertThat(newest.body()).isEmpty();
        assertThat(admin.postJson("/xapi/dqr/import", "{\"projectId\":\"" + Seeds.NEURO + "\",\"studies\":[]}")
                .statusCode()).isEqualTo(404);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(ids(TestClient.json(all))).containsExactlyElementsOf(seeded);
        assertThat(TestClient.json(all).get(0).has("accessionNumber")).as("older rows lack study fields").isFalse();
        assertThat(operator.get("/xapi/dqr/query/queue/all").statusCode()).as("site admins only").isEqualTo(403);
        assertThat(ids(TestClient.json(operator.get("/xapi/dqr/query/queue/user")))).containsExactlyElementsOf(seeded);
        assertThat(TestClient.json(admin.get("/xapi/dqr/query/queue/user"))).isEmpty();
        assertThat(admin.get("/xapi/dqr/query/queue/all/count").body()).isEqualTo("2");
    }

    @Test
    void theOldestDqrPagesFromZeroNewestFirstAndAnswers204PastTheEnd() {
        xnat.setDqrGeneration(DqrGeneration.QUERY_QUEUE_ALL);
        List<Long> seeded = xnat.state().queuedRequests().stream().map(QueuedRequest::id).toList();

        var first = admin.get("/xapi/dqr/query/queue/all/paged?page=0&size=1");
        var asc = admin.get("/xapi/dqr/query/queue/all/paged?sort=asc&page=1&size=1");
        var past = admin.get("/xapi/dqr/query/queue/all/paged?page=2&size=1");

        assertThat(ids(TestClient.json(first))).containsExactly(seeded.get(1));
        assertThat(ids(TestClient.json(asc))).containsExactly(seeded.get(1));
        assertThat(past.statusCode()).isEqualTo(204);
        assertThat(TestClient.basic(xnat, XnatEmulator.SERVICE_USER, XnatEmulator.SERVICE_PASSWORD)
                .get("/xapi/dqr/query/queue/user/paged").statusCode()).as("an empty queue is a 204 too")
                .isEqualTo(204);
    }

    @Test
    void theOldestDqrDeletesOneByOneAndStopsAtTheFirstIdItCannotDelete() {
        xnat.setDqrGeneration(DqrGeneration.QUERY_QUEUE_ALL);
        List<Long> seeded = xnat.state().queuedRequests().stream().map(QueuedRequest::id).toList();

        var r = admin.postJson("/xapi/dqr/query/queue/deleteRequests", "[" + seeded.get(0) + ", 9999, "
                + seeded.get(1) + "]");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("Unable to find requested file or resource: No queued PACS request with ID 9999 "
                + "found");
        assertThat(xnat.state().queuedRequest(seeded.get(0))).isEmpty();
        assertThat(xnat.state().queuedRequest(seeded.get(1))).as("never reached").isPresent();
        var one = admin.delete("/xapi/dqr/query/queue/request/" + seeded.get(1));
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).isEqualTo("true");
        assertThat(xnat.state().queuedRequests()).isEmpty();
    }

    @Test
    void theMiddleDqrQueueIsQueryQueueForSiteAdminsAndItsIdRouteSwallowsTheOldestPaths() {
        xnat.setDqrGeneration(DqrGeneration.QUERY_QUEUE);
        List<Long> seeded = xnat.state().queuedRequests().stream().map(QueuedRequest::id).toList();
        long services = xnat.state().queueDqrRequest(XnatEmulator.SERVICE_USER, Seeds.NEURO, "1.2.3").id();

        assertThat(admin.get("/xapi/dqr/import/queue").statusCode()).isEqualTo(404);
        assertThat(ids(TestClient.json(admin.get("/xapi/dqr/query/queue")))).hasSize(3);
        assertThat(ids(TestClient.json(admin.get("/xapi/dqr/query/queue?user=true")))).containsExactly(services);
        assertThat(operator.get("/xapi/dqr/query/queue?user=true").statusCode()).as("site admins only")
                .isEqualTo(403);
        var oldest = admin.get("/xapi/dqr/query/queue/all");
        assertThat(oldest.statusCode()).as("'all' is no long: Spring's type mismatch, not a 404").isEqualTo(500);
        assertThat(oldest.body()).startsWith("There was an error in the request : Failed to convert value");
        var forbidden = operator.postJson("/xapi/dqr/query/queue", "[" + seeded.get(0) + ", " + services + ", "
                + seeded.get(1) + "]");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(xnat.state().queuedRequest(seeded.get(0))).isEmpty();
        assertThat(xnat.state().queuedRequest(seeded.get(1))).as("the 403 ended the loop").isPresent();
        var missing = admin.postJson("/xapi/dqr/query/queue", "[" + seeded.get(1) + ", 9999]");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).endsWith("Deleted 1 queued requests, but the remaining IDs were not found: 9999");
        assertThat(admin.postJson("/xapi/dqr/import", "{\"projectId\":\"" + Seeds.NEURO + "\",\"studies\":"
                + "[{\"studyInstanceUid\":\"1.2.4\"}]}").statusCode()).as("the middle build has /import")
                .isEqualTo(200);
    }

    @Test
    void withoutDqrEveryDqrPathIs404() {
        xnat.setDqrGeneration(DqrGeneration.NONE);

        for (var r : List.of(admin.get("/xapi/dqr/import/queue"), admin.get("/xapi/dqr/query/queue"),
                admin.get("/xapi/dqr/query/queue/all"), admin.postJson("/xapi/dqr/import/queue", "[1]"),
                admin.postJson("/xapi/dqr/import", "{}"))) {
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEmpty();
        }
        assertThat(xnat.state().queuedRequests()).hasSize(2);
    }

    @Test
    void usersWithoutTheDqrRoleGet403() {
        var r = TestClient.basic(xnat, "jsmith", "jsmith-password").get("/xapi/dqr/import/queue");

        assertThat(r.statusCode()).isEqualTo(403);
    }
}
