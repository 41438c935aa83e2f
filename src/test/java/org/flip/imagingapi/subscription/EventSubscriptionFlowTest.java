package org.flip.imagingapi.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flip.imagingapi.EmulatorFlowTest;
import org.flip.imagingapi.emulator.Command;
import org.flip.imagingapi.emulator.Fault;
import org.flip.imagingapi.emulator.Subscription;
import org.flip.imagingapi.emulator.XnatEmulator;
import org.flip.imagingapi.emulator.XnatOps;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * The whole application against the stateful XNAT emulator, asserting on the emulator's state. The
 * emulator's seed registers a two-wrapper command first, so dcm2niix's command id differs from its
 * wrapper id: a command-id action key (the reference's bug) would point at another command's wrapper.
 */
class EventSubscriptionFlowTest extends EmulatorFlowTest {

    private static Command dcm2niix() {
        return xnat.state().commands().stream()
                .filter(c -> XnatEmulator.DCM2NIIX_IMAGE.equals(c.image())).findFirst().orElseThrow();
    }

    private static String newProject(String id) {
        xnat.state().addProject(id, "secondary-" + id, "Flow " + id, null);
        return id;
    }

    private ResponseEntity<JsonNode> send(HttpMethod method, String path, String body) {
        return rest.exchange(path, method, new HttpEntity<>(body, keyHeaders()), JsonNode.class);
    }

    private static List<Subscription> subscriptionsOf(String project) {
        return xnat.state().subscriptionsForProject(project);
    }

    @Test
    void commandLookupAnswersTheDcm2niixWrapperIdNotItsCommandId() {
        ResponseEntity<JsonNode> response = send(HttpMethod.GET, "/commands", null);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        Command command = dcm2niix();
        assertThat(response.getBody().get("command_id").asLong()).isEqualTo(command.id());
        assertThat(response.getBody().get("wrapper_id").asLong()).isEqualTo(command.wrappers().get(0).id())
                .isNotEqualTo(command.id());
        assertThat(response.getBody().get("wrapper_name").asText()).isEqualTo("dcm2niix-scan");
    }

    @Test
    void anUnregisteredImageIs404ListingWhatIsRegistered() {
        ResponseEntity<JsonNode> response = send(HttpMethod.GET, "/commands?image=xnat/dcm2niix:1.0.0", null);

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        String detail = response.getBody().get("detail").asText();
        assertThat(detail).contains("'dcm2niix' -> '" + XnatEmulator.DCM2NIIX_IMAGE + "'").hasSizeLessThan(950);
        assertThat(xnat.calls(XnatOps.LIST_COMMANDS)).isEqualTo(2);
    }

    @Test
    void creatingTwiceLeavesExactlyOneSubscriptionWithTheWrapperIdActionKey() {
        String project = newProject("SUBFLOW_TWICE");

        ResponseEntity<JsonNode> first = send(HttpMethod.POST, "/projects/" + project + "/event-subscriptions", "{}");
        ResponseEntity<JsonNode> second = send(HttpMethod.POST, "/projects/" + project + "/event-subscriptions", "{}");

        assertThat(first.getStatusCode().value()).isEqualTo(201);
        assertThat(second.getStatusCode().value()).isEqualTo(200);
        assertThat(second.getBody().get("id").asLong()).isEqualTo(first.getBody().get("id").asLong());
        List<Subscription> subscriptions = subscriptionsOf(project);
        assertThat(subscriptions).hasSize(1);
        Subscription subscription = subscriptions.get(0);
        long wrapperId = dcm2niix().wrappers().get(0).id();
        assertThat(subscription.actionKey()).isEqualTo("org.nrg.containers.services.CommandActionProvider:" + wrapperId);
        assertThat(subscription.name()).isEqualTo("imaging-api dcm2niix " + project);
        assertThat(subscription.active()).isTrue();
        assertThat(subscription.eventType()).isEqualTo("org.nrg.xnat.eventservice.events.ScanEvent");
        assertThat(subscription.status()).isEqualTo("CREATED");
        assertThat(subscription.projectIds()).containsExactly(project);
        assertThat(subscription.payloadFilter()).isEqualTo(org.flip.imagingapi.xnat.XnatEventSubscriptions.PAYLOAD_FILTER);
        assertThat(xnat.state().isWrapperEnabledForProject(project, wrapperId)).isTrue();
        assertThat(xnat.calls(XnatOps.CREATE_SUBSCRIPTION)).isEqualTo(1);
    }

    @Test
    void anInactiveRequestCreatesAnInactiveSubscriptionAndALaterActiveRequestActivatesIt() {
        String project = newProject("SUBFLOW_INACTIVE");

        send(HttpMethod.POST, "/projects/" + project + "/event-subscriptions", "{\"active\":false}");
        assertThat(subscriptionsOf(project)).singleElement().extracting(Subscription::active).isEqualTo(false);

        ResponseEntity<JsonNode> again = send(HttpMethod.POST, "/projects/" + project + "/event-subscriptions",
                "{\"active\":true}");

        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(subscriptionsOf(project)).singleElement().extracting(Subscription::active).isEqualTo(true);
    }

    @Test
    void activateDeactivateAndDeleteChangeTheEmulatorsState() {
        String project = newProject("SUBFLOW_TOGGLE");
        long id = send(HttpMethod.POST, "/projects/" + project + "/event-subscriptions", "{}").getBody()
                .get("id").asLong();
        String base = "/projects/" + project + "/event-subscriptions/" + id;

        ResponseEntity<JsonNode> off = send(HttpMethod.POST, base + "/deactivate", null);
        assertThat(off.getStatusCode().value()).isEqualTo(200);
        assertThat(off.getBody().get("active").asBoolean()).isFalse();
        assertThat(xnat.state().subscription(id).orElseThrow().active()).isFalse();

        ResponseEntity<JsonNode> on = send(HttpMethod.POST, base + "/activate", null);
        assertThat(on.getBody().get("active").asBoolean()).isTrue();
        assertThat(xnat.state().subscription(id).orElseThrow().active()).isTrue();

        ResponseEntity<JsonNode> listed = send(HttpMethod.GET, "/projects/" + project + "/event-subscriptions", null);
        assertThat(listed.getBody()).hasSize(1);
        assertThat(listed.getBody().get(0).get("id").asLong()).isEqualTo(id);

        assertThat(send(HttpMethod.DELETE, base, null).getStatusCode().value()).isEqualTo(204);
        assertThat(xnat.state().subscription(id)).isEmpty();
        assertThat(send(HttpMethod.DELETE, base, null).getStatusCode().value()).isEqualTo(404);
        assertThat(send(HttpMethod.POST, base + "/activate", null).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void anotherProjectsSubscriptionIsNotFoundThroughThisProject() {
        String mine = newProject("SUBFLOW_MINE");
        String other = newProject("SUBFLOW_OTHER");
        long id = send(HttpMethod.POST, "/projects/" + other + "/event-subscriptions", "{}").getBody()
                .get("id").asLong();

        ResponseEntity<JsonNode> response = send(HttpMethod.DELETE, "/projects/" + mine + "/event-subscriptions/" + id,
                null);

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(xnat.state().subscription(id)).isPresent();
    }

    @Test
    void aFailedCreationReplayedConvergesOnOneSubscription() {
        String project = newProject("SUBFLOW_REPLAY");
        xnat.inject(XnatOps.CREATE_SUBSCRIPTION, Fault.status(500, "boom").times(1));

        ResponseEntity<JsonNode> failed = send(HttpMethod.POST, "/projects/" + project + "/event-subscriptions", "{}");
        ResponseEntity<JsonNode> replayed = send(HttpMethod.POST, "/projects/" + project + "/event-subscriptions",
                "{}");
        ResponseEntity<JsonNode> again = send(HttpMethod.POST, "/projects/" + project + "/event-subscriptions", "{}");

        assertThat(failed.getStatusCode().value()).isEqualTo(502);
        assertThat(failed.getBody().get("detail").asText()).contains("Creating event subscription");
        assertThat(replayed.getStatusCode().value()).isEqualTo(201);
        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(subscriptionsOf(project)).hasSize(1);
    }

    @Test
    void twoConcurrentCreationsEndWithOneSubscription() throws Exception {
        String project = newProject("SUBFLOW_RACE");
        Callable<Integer> create = () -> send(HttpMethod.POST, "/projects/" + project + "/event-subscriptions", "{}")
                .getStatusCode().value();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = pool.invokeAll(List.of(create, create));
            assertThat(List.of(results.get(0).get(), results.get(1).get())).containsExactlyInAnyOrder(201, 200);
        } finally {
            pool.shutdownNow();
        }
        assertThat(subscriptionsOf(project)).hasSize(1);
    }

    @Test
    void aDisabledEventServiceIsA502SayingSo() {
        String project = newProject("SUBFLOW_DISABLED");
        xnat.setEventServiceEnabled(false);
        try {
            ResponseEntity<JsonNode> response = send(HttpMethod.POST, "/projects/" + project + "/event-subscriptions",
                    "{}");

            assertThat(response.getStatusCode().value()).isEqualTo(502);
            assertThat(response.getBody().get("detail").asText()).contains("event service is disabled");
        } finally {
            xnat.setEventServiceEnabled(true);
        }
    }

    @Test
    void anUnknownProjectIs404() {
        ResponseEntity<JsonNode> response = send(HttpMethod.POST, "/projects/NO_SUCH_PROJECT/event-subscriptions",
                "{}");

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(subscriptionsOf("NO_SUCH_PROJECT")).isEmpty();
    }
}
