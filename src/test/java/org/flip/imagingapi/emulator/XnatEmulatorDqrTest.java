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
        assertThat(r.body()).isEqualTo("Deleted 1 queued requests, but the remaining IDs were not found: 9999");
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
    void usersWithoutTheDqrRoleGet403() {
        var r = TestClient.basic(xnat, "jsmith", "jsmith-password").get("/xapi/dqr/import/queue");

        assertThat(r.statusCode()).isEqualTo(403);
    }
}
