package org.flip.imagingapi.subscription;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flip.imagingapi.config.ProvisioningProperties;
import org.flip.imagingapi.model.CommandInfo;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.web.XnatProblems;
import org.flip.imagingapi.xnat.XnatFailure;
import org.flip.imagingapi.xnat.SubscriptionClientsFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference's §14.1 {@code get_command_info} checklist, adapted: a miss is our 404 whose detail
 * diagnoses it; an XNAT failure of the lookup itself is a 502.
 */
class CommandLookupTest {

    static final String IMAGE = "ghcr.io/londonaicentre/xnat-dcm2niix:v1.0.20260724";
    static final String FILTERED = "/xapi/commands";
    static WireMockServer xnat;
    CommandLookup lookup;

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
        lookup = new CommandLookup(new SubscriptionClientsFixture(xnat).commands(),
                new ProvisioningProperties(IMAGE, 4));
    }

    static void filteredAnswers(String json) {
        xnat.stubFor(get(urlPathEqualTo(FILTERED)).withQueryParam("image", equalTo(IMAGE)).willReturn(okJson(json)));
    }

    static void unfilteredAnswers(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        xnat.stubFor(get(urlPathEqualTo(FILTERED)).withQueryParam("image", com.github.tomakehurst.wiremock.client
                .WireMock.absent()).willReturn(answer));
    }

    /** The problem the caller gets (XNAT's failures as web/ maps them). */
    ProblemException miss() {
        RuntimeException e = catchThrowableOfType(RuntimeException.class, () -> lookup.find(IMAGE));
        return e instanceof XnatFailure failure ? XnatProblems.of(failure) : (ProblemException) e;
    }

    static String detailOf404(ProblemException e) {
        assertThat(e).isNotNull();
        assertThat(e.status().value()).as(e.detail()).isEqualTo(404);
        assertThat(e.detail()).hasSizeLessThan(950);
        return e.detail();
    }

    @Test
    void aFilteredHitReturnsTheCommandIdAndItsWrappersIdAndName() {
        filteredAnswers("[{\"id\":1,\"name\":\"dcm2niix\",\"image\":\"" + IMAGE
                + "\",\"xnat\":[{\"id\":12,\"name\":\"dcm2niix-scan\"}]}]");

        assertThat(lookup.find(IMAGE)).isEqualTo(new CommandInfo(1, "dcm2niix", IMAGE, 12, "dcm2niix-scan"));
        xnat.verify(1, getRequestedFor(urlPathEqualTo(FILTERED)).withQueryParam("image", equalTo(IMAGE)));
    }

    @Test
    void withoutAnImageTheConfiguredDcm2niixImageIsLookedUp() {
        filteredAnswers("[{\"id\":3,\"name\":\"dcm2niix\",\"image\":\"" + IMAGE
                + "\",\"xnat\":[{\"id\":4,\"name\":\"dcm2niix-scan\"}]}]");

        assertThat(lookup.find(null).wrapperId()).isEqualTo(4);
    }

    @Test
    void theFirstCommandWithAUsableWrapperWinsOverAWrapperlessOne() {
        filteredAnswers("[{\"id\":1,\"name\":\"old\",\"image\":\"" + IMAGE + "\",\"xnat\":[]},"
                + "{\"id\":2,\"name\":\"dcm2niix\",\"image\":\"" + IMAGE
                + "\",\"xnat\":[{\"id\":9,\"name\":\"dcm2niix-scan\"}]}]");

        assertThat(lookup.find(IMAGE).commandId()).isEqualTo(2);
    }

    @Test
    void aFailedFilteredCallIsA502NamingTheCommandFetchAndSkipsTheDiagnostics() {
        xnat.stubFor(get(urlPathEqualTo(FILTERED)).willReturn(aResponse().withStatus(500).withBody("boom")));

        ProblemException e = miss();

        assertThat(e.status().value()).isEqualTo(502);
        assertThat(e.detail()).contains("XNAT command fetch failed").contains("HTTP 500").contains("boom");
        xnat.verify(0, getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(FILTERED)));
    }

    @Test
    void aFiltered401WithAHugeBodyIsA502WithABoundedExcerpt() {
        xnat.stubFor(get(urlPathEqualTo(FILTERED)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "text/plain").withBody("Unauthorized. " + "x".repeat(5000))));

        ProblemException e = miss();

        assertThat(e.status().value()).isEqualTo(502);
        assertThat(e.detail()).contains("XNAT command fetch failed").contains("401")
                .contains("more characters, full body in the imaging-api log").hasSizeLessThan(950);
    }

    @Test
    void aFiltered403IsA502ThatClaimsNoMissingRole() {
        // XNAT checks no role on this GET (xnat-rest-behaviour §7): a 403 comes from something in
        // front of XNAT, so the detail must not send the operator after ContainerManager.
        xnat.stubFor(get(urlPathEqualTo(FILTERED)).willReturn(aResponse().withStatus(403)));

        ProblemException e = miss();

        assertThat(e.status().value()).isEqualTo(502);
        assertThat(e.detail()).contains("HTTP 403").doesNotContain("ContainerManager").doesNotContain("2.3a");
    }

    @Test
    void aStaleRegistrationIsListedWithTheRemedyAndTheDiagnosticCallIsUnfiltered() {
        filteredAnswers("[]");
        unfilteredAnswers(okJson("[{\"id\":6,\"name\":\"dcm2niix\",\"image\":\"xnat/dcm2niix:latest\"}]"));

        String detail = detailOf404(miss());

        assertThat(detail).contains("No commands found for container").contains(IMAGE)
                .contains("'dcm2niix' -> 'xnat/dcm2niix:latest'").contains("deploy/xnat-bootstrap.sh")
                .doesNotContain("may not be installed");
        List<LoggedRequest> requests = xnat.findAll(getRequestedFor(urlPathEqualTo(FILTERED)));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).getUrl()).isEqualTo("/xapi/commands");
    }

    @Test
    void twoUnrelatedCommandsAreBothListedWithConditionalWording() {
        filteredAnswers("[]");
        unfilteredAnswers(okJson("[{\"id\":1,\"name\":\"freesurfer\",\"image\":\"fs:7\"},"
                + "{\"id\":2,\"name\":\"debug\",\"image\":\"busybox:1\"}]"));

        String detail = detailOf404(miss());

        assertThat(detail).contains("2 command(s) registered").contains("'freesurfer' -> 'fs:7'")
                .contains("'debug' -> 'busybox:1'").contains("If one of those");
        assertThat(detail.indexOf("'debug'")).isLessThan(detail.indexOf("'freesurfer'"));
    }

    @Test
    void anEmptyRegistrySaysSoAndPutsTheRemedyBeforeTheMissingPlugin() {
        filteredAnswers("[]");
        unfilteredAnswers(okJson("[]"));

        String detail = detailOf404(miss());

        assertThat(detail).contains("lists nothing to the service account").contains("deploy/xnat-bootstrap.sh")
                .contains("ContainerManager").contains("not public").contains("missing Container Service plugin");
        assertThat(detail.indexOf("deploy/xnat-bootstrap.sh")).isLessThan(detail.indexOf("missing"));
    }

    @Test
    void aBrokenConnectionOnTheDiagnosticCallSaysTheRegistryCouldNotBeListed() {
        filteredAnswers("[]");
        unfilteredAnswers(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        ProblemException e = miss();
        String detail = detailOf404(e);

        assertThat(detail).contains("No commands found for container").contains("could not be listed")
                .contains("connection").doesNotContain("may not be installed").doesNotContain("registered at all");
    }

    @Test
    void aDiagnosticCallThatOutlivesItsShortBudgetNeverReplacesTheMiss() {
        filteredAnswers("[]");
        unfilteredAnswers(okJson("[]").withFixedDelay(
                (int) SubscriptionClientsFixture.SHORT_BUDGET.toMillis() + 700));

        String detail = detailOf404(miss());

        assertThat(detail).contains("could not be listed").contains("did not answer");
    }

    @Test
    void anUnfiltered401HtmlPageGivesTheStatusAndTheCredentialsRemedy() {
        filteredAnswers("[]");
        unfilteredAnswers(aResponse().withStatus(401).withHeader("Content-Type", "text/html")
                .withBody("<html><body><h1>HTTP Status 401 – Unauthorized</h1></body></html>"));

        String detail = detailOf404(miss());

        assertThat(detail).contains("HTTP 401").contains("XNAT_SERVICE_USER").doesNotContain("may not be installed")
                .doesNotContain("<html>");
    }

    @Test
    void anUnfiltered401WithA2000CharacterHtmlBodyKeepsTheBodyOut() {
        String body = "<html><body><p>" + "Your login attempt failed ".repeat(80) + "</p></body></html>";
        filteredAnswers("[]");
        unfilteredAnswers(aResponse().withStatus(401).withHeader("Content-Type", "text/html").withBody(body));

        String detail = detailOf404(miss());

        assertThat(detail).doesNotContain("<html>").doesNotContain("Your login attempt failed").hasSizeLessThan(950);
    }

    @Test
    void anUnfiltered403ReportsTheStatusAndClaimsNoMissingRole() {
        filteredAnswers("[]");
        unfilteredAnswers(aResponse().withStatus(403));

        String detail = detailOf404(miss());

        // XNAT checks no role on GET /xapi/commands (xnat-rest-behaviour §7): a 403 is not a missing role.
        assertThat(detail).contains("HTTP 403").doesNotContain("ContainerManager").doesNotContain("2.3a")
                .doesNotContain("may not be installed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"commands\":[]}", "[1, \"two\"]", "\"text\""})
    void anUnfilteredBodyThatIsNotAnArrayOfObjectsIsAnUnexpectedResponseBody(String body) {
        filteredAnswers("[]");
        unfilteredAnswers(okJson(body));

        String detail = detailOf404(miss());

        assertThat(detail).contains("unexpected response body").doesNotContain("may not be installed");
    }

    @Test
    void theExactImageInTheRegistryBlamesTheLookupNotTheRegistration() {
        filteredAnswers("[]");
        unfilteredAnswers(okJson("[{\"id\":1,\"name\":\"dcm2niix\",\"image\":\"" + IMAGE + "\"}]"));

        String detail = detailOf404(miss());

        assertThat(detail).contains("that exact image is registered").contains("'dcm2niix' -> '" + IMAGE + "'")
                .doesNotContain("xnat-bootstrap.sh").doesNotContain("predates the current pin");
    }

    @Test
    void fortyRegisteredCommandsFitUnder950CharactersWithOnlyCompletePairs() {
        List<String[]> registered = fortyCommands();
        filteredAnswers("[]");
        unfilteredAnswers(okJson(json(registered)));

        String detail = detailOf404(miss());

        assertThat(detail).contains("DCM2NIIX_IMAGE").endsWith("ContainerManager role.")
                .contains("40 command(s) registered").contains("more");
        List<String> pairs = pairs(detail);
        assertThat(pairs).isNotEmpty();
        List<String> all = registered.stream().map(c -> "'" + c[0] + "' -> '" + c[1] + "'").toList();
        assertThat(all).containsAll(pairs);
    }

    @Test
    void anExactMatchThatSortsLastAmongFortyIsStillShown() {
        List<String[]> registered = new ArrayList<>(fortyCommands());
        registered.add(new String[] {"zzz-dcm2niix", IMAGE});
        filteredAnswers("[]");
        unfilteredAnswers(okJson(json(registered)));

        String detail = detailOf404(miss());

        assertThat(detail).contains("that exact image is registered").contains("'zzz-dcm2niix' -> '" + IMAGE + "'");
    }

    @Test
    void imagesTooLongForTheBudgetAreSummarisedInsteadOfCut() {
        List<String[]> registered = new ArrayList<>();
        registered.add(new String[] {"huge", "registry.example/" + "x".repeat(1200) + ":1"});
        filteredAnswers("[]");
        unfilteredAnswers(okJson(json(registered)));

        String detail = detailOf404(miss());

        assertThat(detail).contains("1 command(s), too long to list here - see the imaging-api log")
                .endsWith("ContainerManager role.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",\"xnat\":[]", ",\"xnat\":[{\"id\":5}]", ",\"xnat\":[{\"name\":\"dcm2niix-scan\"}]"})
    void aMatchingCommandWithoutAUsableWrapperIsAClear404NotACrash(String wrappers) {
        filteredAnswers("[{\"id\":1,\"name\":\"dcm2niix\",\"image\":\"" + IMAGE + "\"" + wrappers + "}]");

        String detail = detailOf404(miss());

        assertThat(detail).contains("no 'xnat' wrapper").contains("dcm2niix").contains("deploy/dcm2niix-command.json");
        xnat.verify(1, RequestPatternBuilder.allRequests().withUrl("/xapi/commands?image="
                + IMAGE.replace("/", "%2F").replace(":", "%3A")));
    }

    private static List<String[]> fortyCommands() {
        List<String[]> commands = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String image = i % 2 == 0 ? "tool" + i + ":1"
                    : "registry.gitlab.example.org/research-group/pipelines/long-named-analysis-tool-" + i
                            + "@sha256:" + "0123456789abcdef".repeat(4);
            commands.add(new String[] {"command-" + (char) ('a' + i % 26) + i, image});
        }
        return commands;
    }

    private static String json(List<String[]> commands) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < commands.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":").append(i + 1).append(",\"name\":\"")
                    .append(commands.get(i)[0]).append("\",\"image\":\"").append(commands.get(i)[1]).append("\"}");
        }
        return sb.append(']').toString();
    }

    private static List<String> pairs(String detail) {
        Matcher m = Pattern.compile("'[^']*' -> '[^']*'").matcher(detail);
        List<String> pairs = new ArrayList<>();
        while (m.find()) {
            pairs.add(m.group());
        }
        return pairs.stream().filter(p -> !p.startsWith("'" + IMAGE)).toList();
    }
}
