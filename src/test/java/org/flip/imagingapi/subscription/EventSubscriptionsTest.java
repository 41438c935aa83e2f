package org.flip.imagingapi.subscription;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import org.flip.imagingapi.config.ProvisioningProperties;
import org.flip.imagingapi.model.Subscription;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.web.XnatProblems;
import org.flip.imagingapi.xnat.XnatFailure;
import org.flip.imagingapi.xnat.SubscriptionClientsFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reference's §14.1 {@code create_project_event_subscription} checklist, adapted, plus the
 * fixes: the action key carries the wrapper id, creation looks before it creates, XNAT's 424, 401
 * and 405 become clear 502 details. WireMock plays XNAT; the clients and gateway are real.
 */
class EventSubscriptionsTest {

    static final String IMAGE = "ghcr.io/londonaicentre/xnat-dcm2niix:v1.0.20260724";
    static final String ENABLE = "/xapi/projects/TEST/commands/1/wrappers/dcm2niix-scan/enabled";
    static final String LIST = "/xapi/projects/TEST/events/subscriptions";
    static final String CREATE = "/xapi/projects/TEST/events/subscription";
    static final String NAME = "imaging-api dcm2niix TEST";
    /** Command id 1, wrapper id 12: the reference's command-id action key would name the wrong wrapper. */
    static final String ACTION_KEY = "org.nrg.containers.services.CommandActionProvider:12";
    static final String FILTER = "(@.resources.length() > 0 && \\\"DICOM\\\" in @.resources[*].label)";

    static WireMockServer xnat;
    EventSubscriptions subscriptions;

    @BeforeAll
    static void startXnat() {
        xnat = new WireMockServer(wireMockConfig().dynamicPort());
        xnat.start();
        SubscriptionClientsFixture.warmUp(xnat);
    }

    @AfterAll
    static void stopXnat() {
        xnat.stop();
    }

    @BeforeEach
    void reset() {
        xnat.resetAll();
        SubscriptionClientsFixture clients = new SubscriptionClientsFixture(xnat);
        subscriptions = new EventSubscriptions(
                new CommandLookup(clients.commands(), new ProvisioningProperties(IMAGE, 4)),
                clients.eventSubscriptions());
        xnat.stubFor(get(urlPathEqualTo("/xapi/commands")).withQueryParam("image", equalTo(IMAGE))
                .willReturn(okJson("[{\"id\":1,\"name\":\"dcm2niix\",\"image\":\"" + IMAGE
                        + "\",\"xnat\":[{\"id\":12,\"name\":\"dcm2niix-scan\"}]}]")));
        xnat.stubFor(put(urlEqualTo(ENABLE)).willReturn(aResponse().withStatus(200)));
    }

    static String subscriptionJson(long id, String name, boolean active, String actionKey) {
        return "{\"id\":" + id + ",\"name\":\"" + name + "\",\"active\":" + active + ",\"action-key\":\"" + actionKey
                + "\",\"attributes\":{},\"event-filter\":{\"event-type\":\"org.nrg.xnat.eventservice.events.ScanEvent\","
                + "\"project-ids\":[\"TEST\"],\"status\":\"CREATED\",\"payload-filter\":\"" + FILTER + "\"},"
                + "\"act-as-event-user\":false,\"subscription-owner\":\"imaging-api\",\"valid\":true}";
    }

    /** The listing answers {@code first} until a subscription is created, then {@code after}. */
    static void listing(String first, String after) {
        xnat.stubFor(get(urlEqualTo(LIST)).inScenario("subs").whenScenarioStateIs("Started")
                .willReturn(okJson(first)));
        xnat.stubFor(get(urlEqualTo(LIST)).inScenario("subs").whenScenarioStateIs("created")
                .willReturn(okJson(after)));
    }

    static void creationAnswers(ResponseDefinitionBuilder answer) {
        xnat.stubFor(post(urlEqualTo(CREATE)).inScenario("subs").willReturn(answer).willSetStateTo("created"));
    }

    static String expectedBody(boolean active) {
        return "{\"name\":\"" + NAME + "\",\"active\":" + active + ",\"action-key\":\"" + ACTION_KEY + "\","
                + "\"attributes\":{},\"event-filter\":{\"event-type\":\"org.nrg.xnat.eventservice.events.ScanEvent\","
                + "\"status\":\"CREATED\",\"project-ids\":[\"TEST\"],\"payload-filter\":\"" + FILTER + "\"},"
                + "\"act-as-event-user\":false}";
    }

    /** The problem the caller gets (XNAT's failures as web/ maps them). */
    ProblemException failureOfEnsure(boolean active) {
        RuntimeException e = catchThrowableOfType(RuntimeException.class, () -> subscriptions.ensure("TEST", null, active));
        return e instanceof XnatFailure failure ? XnatProblems.of(failure) : (ProblemException) e;
    }

    @Test
    void anActiveSubscriptionEnablesTheWrapperOnceAndPostsTheWrapperIdActionKey() {
        listing("[]", "[" + subscriptionJson(7, NAME, true, ACTION_KEY) + "]");
        creationAnswers(aResponse().withStatus(201).withHeader("Content-Type", "text/plain").withBody(NAME + ":7"));

        EnsuredSubscription ensured = subscriptions.ensure("TEST", null, true);

        assertThat(ensured.created()).isTrue();
        assertThat(ensured.subscription()).isEqualTo(new Subscription(7L, NAME, true, "TEST", ACTION_KEY,
                org.flip.imagingapi.xnat.XnatEventSubscriptions.EVENT_TYPE, "CREATED", org.flip.imagingapi.xnat.XnatEventSubscriptions.PAYLOAD_FILTER));
        xnat.verify(1, putRequestedFor(anyUrl()));
        xnat.verify(1, putRequestedFor(urlEqualTo(ENABLE)));
        xnat.verify(1, postRequestedFor(urlEqualTo(CREATE)).withRequestBody(equalToJson(expectedBody(true))));
    }

    @Test
    void anInactiveSubscriptionIsStillCreatedWithActiveFalse() {
        listing("[]", "[" + subscriptionJson(8, NAME, false, ACTION_KEY) + "]");
        creationAnswers(aResponse().withStatus(201).withBody(NAME + ":8"));

        EnsuredSubscription ensured = subscriptions.ensure("TEST", null, false);

        assertThat(ensured.subscription().active()).isFalse();
        xnat.verify(1, postRequestedFor(urlEqualTo(CREATE)).withRequestBody(equalToJson(expectedBody(false))));
    }

    @Test
    void theCreatedIdIsReadFromXnatsPlainTextNameColonIdBody() {
        listing("[]", "[" + subscriptionJson(41, NAME, true, ACTION_KEY) + "]");
        creationAnswers(aResponse().withStatus(201).withBody(NAME + ":41"));

        assertThat(subscriptions.ensure("TEST", null, true).subscription().id()).isEqualTo(41L);
    }

    @Test
    void aSecondEnsureFindsTheExistingSubscriptionAndPostsNothing() {
        listing("[" + subscriptionJson(5, "someone else's", true, "x:1") + "," + subscriptionJson(7, NAME, true,
                ACTION_KEY) + "]", "[]");

        EnsuredSubscription ensured = subscriptions.ensure("TEST", null, true);

        assertThat(ensured.created()).isFalse();
        assertThat(ensured.subscription().id()).isEqualTo(7L);
        xnat.verify(0, postRequestedFor(urlPathMatching("/xapi/.*")));
    }

    @Test
    void anExistingSubscriptionFollowsTheRequestedActiveFlag() {
        listing("[" + subscriptionJson(7, NAME, true, ACTION_KEY) + "]", "[]");
        xnat.stubFor(post(urlEqualTo(CREATE + "/7/deactivate")).willReturn(aResponse().withStatus(200)));

        EnsuredSubscription ensured = subscriptions.ensure("TEST", null, false);

        assertThat(ensured.subscription().active()).isFalse();
        xnat.verify(1, postRequestedFor(urlEqualTo(CREATE + "/7/deactivate")));
        xnat.verify(0, postRequestedFor(urlEqualTo(CREATE)));
    }

    @Test
    void aSubscriptionWithOurNameButAnotherWrapperIsNotMistakenForOurs() {
        listing("[" + subscriptionJson(3, NAME, true, "org.nrg.containers.services.CommandActionProvider:1") + "]",
                "[" + subscriptionJson(3, NAME, true, "org.nrg.containers.services.CommandActionProvider:1") + ","
                        + subscriptionJson(9, NAME, true, ACTION_KEY) + "]");
        creationAnswers(aResponse().withStatus(201).withBody(NAME + ":9"));

        EnsuredSubscription ensured = subscriptions.ensure("TEST", null, true);

        assertThat(ensured.created()).isTrue();
        assertThat(ensured.subscription().id()).isEqualTo(9L);
        xnat.verify(0, deleteRequestedFor(anyUrl()));
    }

    @Test
    void duplicatesLeftByARaceConvergeOnTheOldest() {
        listing("[" + subscriptionJson(7, NAME, true, ACTION_KEY) + "," + subscriptionJson(8, NAME, true, ACTION_KEY)
                + "]", "[]");
        xnat.stubFor(delete(urlEqualTo(CREATE + "/8")).willReturn(aResponse().withStatus(204)));

        EnsuredSubscription ensured = subscriptions.ensure("TEST", null, true);

        assertThat(ensured.subscription().id()).isEqualTo(7L);
        xnat.verify(1, deleteRequestedFor(urlEqualTo(CREATE + "/8")));
        xnat.verify(0, deleteRequestedFor(urlEqualTo(CREATE + "/7")));
    }

    @Test
    void aCreationRaceWithAnotherReplicaKeepsTheOlderSubscriptionAndDeletesOurs() {
        listing("[]", "[" + subscriptionJson(6, NAME, true, ACTION_KEY) + "," + subscriptionJson(7, NAME, true,
                ACTION_KEY) + "]");
        creationAnswers(aResponse().withStatus(201).withBody(NAME + ":7"));
        xnat.stubFor(delete(urlEqualTo(CREATE + "/7")).willReturn(aResponse().withStatus(204)));

        EnsuredSubscription ensured = subscriptions.ensure("TEST", null, true);

        assertThat(ensured.created()).isFalse();
        assertThat(ensured.subscription().id()).isEqualTo(6L);
        xnat.verify(1, deleteRequestedFor(urlEqualTo(CREATE + "/7")));
    }

    @Test
    void aFailedWrapperEnablingIsA502NamingTheStepAndCreatesNothing() {
        xnat.stubFor(put(urlEqualTo(ENABLE)).willReturn(aResponse().withStatus(500).withBody("boom")));

        ProblemException e = failureOfEnsure(true);

        assertThat(e.status().value()).isEqualTo(502);
        assertThat(e.detail()).contains("Enabling command wrapper 'dcm2niix-scan'").contains("HTTP 500")
                .contains("boom");
        xnat.verify(0, postRequestedFor(urlPathMatching("/xapi/.*")));
    }

    @Test
    void aWrapperEnablingRefusedWithATextual401IsAPermission502WithoutASecondLogin() {
        xnat.stubFor(put(urlEqualTo(ENABLE)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "text/plain").withBody("User imaging-api does not have Delete access.")));

        ProblemException e = failureOfEnsure(true);

        assertThat(e.status().value()).isEqualTo(502);
        assertThat(e.detail()).contains("lacks permission").contains("ContainerManager");
        xnat.verify(1, postRequestedFor(urlEqualTo("/data/JSESSION")));
    }

    @Test
    void anUnknownProjectIsOur404() {
        xnat.stubFor(put(urlEqualTo(ENABLE)).willReturn(aResponse().withStatus(404)));

        ProblemException e = failureOfEnsure(true);

        assertThat(e.status().value()).isEqualTo(404);
    }

    @Test
    void aFailedCreationIsA502NamingTheStep() {
        listing("[]", "[]");
        creationAnswers(aResponse().withStatus(500).withBody("boom"));

        ProblemException e = failureOfEnsure(true);

        assertThat(e.status().value()).isEqualTo(502);
        assertThat(e.detail()).contains("Creating event subscription for project 'TEST' failed").contains("HTTP 500");
    }

    @Test
    void xnats424IsA502SayingTheWrapperIsNotEnabled() {
        listing("[]", "[]");
        creationAnswers(aResponse().withStatus(424).withHeader("Content-Type", "text/plain")
                .withBody("Subscription format failed to validate.\nAction not available"));

        ProblemException e = failureOfEnsure(true);

        assertThat(e.status().value()).isEqualTo(502);
        assertThat(e.detail()).startsWith("XNAT refused the subscription (424): the dcm2niix wrapper 'dcm2niix-scan' "
                + "is not enabled").contains("failed to validate");
    }

    @Test
    void xnats401OnCreationIsAPermission502() {
        listing("[]", "[]");
        creationAnswers(aResponse().withStatus(401).withHeader("Content-Type", "text/plain")
                .withBody("Unauthorized.\nimaging-api not authorized to modify subscriptions for project(s): TEST"));

        ProblemException e = failureOfEnsure(true);

        assertThat(e.status().value()).isEqualTo(502);
        assertThat(e.detail()).contains("(401)").contains("lacks permission");
        xnat.verify(1, postRequestedFor(urlEqualTo("/data/JSESSION")));
    }

    @Test
    void xnats405MeansTheEventServiceIsDisabled() {
        listing("[]", "[]");
        creationAnswers(aResponse().withStatus(405).withHeader("Content-Type", "text/plain")
                .withBody("Event Service disabled."));

        ProblemException e = failureOfEnsure(true);

        assertThat(e.status().value()).isEqualTo(502);
        assertThat(e.detail()).contains("event service is disabled").contains("/xapi/events/prefs");
    }

    @Test
    void aCreationThatOutlivesItsBudgetIsNeverReplayed() {
        listing("[]", "[]");
        creationAnswers(aResponse().withStatus(201).withBody(NAME + ":7")
                .withFixedDelay((int) SubscriptionClientsFixture.STANDARD_BUDGET.toMillis() + 700));

        ProblemException e = failureOfEnsure(true);

        assertThat(e.status().value()).isEqualTo(504);
        xnat.verify(1, postRequestedFor(urlEqualTo(CREATE)));
    }

    @Test
    void theListingMapsXnatsNestedEventFilter() {
        listing("[" + subscriptionJson(7, NAME, false, ACTION_KEY) + "]", "[]");

        assertThat(subscriptions.list("TEST")).containsExactly(new Subscription(7L, NAME, false, "TEST", ACTION_KEY,
                org.flip.imagingapi.xnat.XnatEventSubscriptions.EVENT_TYPE, "CREATED", org.flip.imagingapi.xnat.XnatEventSubscriptions.PAYLOAD_FILTER));
    }

    @Test
    void listingAnUnknownProjectIsOur404() {
        xnat.stubFor(get(urlEqualTo(LIST)).willReturn(aResponse().withStatus(404)));

        ProblemException e = catchThrowableOfType(ProblemException.class, () -> subscriptions.list("TEST"));

        assertThat(e.status().value()).as(e.detail()).isEqualTo(404);
    }

    @Test
    void activatingPostsToXnatAndAnswersTheActiveSubscription() {
        listing("[" + subscriptionJson(7, NAME, false, ACTION_KEY) + "]", "[]");
        xnat.stubFor(post(urlEqualTo(CREATE + "/7/activate")).willReturn(aResponse().withStatus(200)));

        assertThat(subscriptions.activate("TEST", 7).active()).isTrue();
        xnat.verify(1, postRequestedFor(urlEqualTo(CREATE + "/7/activate")));
    }

    @Test
    void deactivatingPostsToXnatAndAnswersTheInactiveSubscription() {
        listing("[" + subscriptionJson(7, NAME, true, ACTION_KEY) + "]", "[]");
        xnat.stubFor(post(urlEqualTo(CREATE + "/7/deactivate")).willReturn(aResponse().withStatus(200)));

        assertThat(subscriptions.deactivate("TEST", 7).active()).isFalse();
    }

    @Test
    void activatingASubscriptionTheProjectDoesNotHaveIsA404AndChangesNothing() {
        listing("[" + subscriptionJson(7, NAME, true, ACTION_KEY) + "]", "[]");

        ProblemException e = catchThrowableOfType(ProblemException.class, () -> subscriptions.activate("TEST", 99));

        assertThat(e.status().value()).isEqualTo(404);
        xnat.verify(0, postRequestedFor(urlPathEqualTo(CREATE + "/99/activate")));
    }

    @Test
    void deletingAnswers204FromXnatAndAnUnknownIdIsA404() {
        listing("[" + subscriptionJson(7, NAME, true, ACTION_KEY) + "]", "[]");
        xnat.stubFor(delete(urlEqualTo(CREATE + "/7")).willReturn(aResponse().withStatus(204)));

        subscriptions.delete("TEST", 7);
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> subscriptions.delete("TEST", 8));

        xnat.verify(1, deleteRequestedFor(urlEqualTo(CREATE + "/7")));
        assertThat(e.status().value()).isEqualTo(404);
        xnat.verify(0, deleteRequestedFor(urlEqualTo(CREATE + "/8")));
    }

    @Test
    void xnats404OnDeleteIsOur404() {
        listing("[" + subscriptionJson(7, NAME, true, ACTION_KEY) + "]", "[]");
        xnat.stubFor(delete(urlEqualTo(CREATE + "/7")).willReturn(aResponse().withStatus(404).withBody("gone")));

        ProblemException e = catchThrowableOfType(ProblemException.class, () -> subscriptions.delete("TEST", 7));

        assertThat(e.status().value()).isEqualTo(404);
    }

    @Test
    void aMissingCommandStopsBeforeAnyProjectCall() {
        xnat.stubFor(get(urlPathEqualTo("/xapi/commands")).withQueryParam("image", equalTo(IMAGE))
                .willReturn(okJson("[]")));
        xnat.stubFor(get(urlEqualTo("/xapi/commands")).willReturn(okJson("[]")));

        ProblemException e = failureOfEnsure(true);

        assertThat(e.status().value()).isEqualTo(404);
        xnat.verify(0, putRequestedFor(anyUrl()));
        xnat.verify(0, postRequestedFor(urlPathEqualTo(CREATE)));
        xnat.verify(0, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo(LIST)));
    }
}
