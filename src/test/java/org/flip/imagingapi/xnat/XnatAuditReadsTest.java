package org.flip.imagingapi.xnat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flip.imagingapi.xnat.ProjectsTestGateway.HTML_500;
import static org.flip.imagingapi.xnat.ProjectsTestGateway.projectRow;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.flip.imagingapi.model.CommandInfo;
import org.flip.imagingapi.model.Project;
import org.flip.imagingapi.web.XnatProblems;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The reads only the provisioning audit makes: prearchive code, every twin by hub id, wrapper enablement. */
class XnatAuditReadsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final CommandInfo DCM2NIIX = new CommandInfo(2L, "dcm2niix", "img:1", 3L, "dcm2niix-scan");
    private static final String ENABLED = "/xapi/projects/P1/commands/2/wrappers/dcm2niix-scan/enabled";

    private XnatProjects projects;
    private XnatEventSubscriptions subscriptions;

    @BeforeEach
    void setUp() {
        XnatGateway gateway = ProjectsTestGateway.against(wm);
        projects = new XnatProjects(gateway);
        subscriptions = new XnatEventSubscriptions(gateway);
    }

    @Test
    void thePrearchiveCodeIsReadBackAsXnatsPlainTextAndAnUnknownProjectIsEmpty() {
        wm.stubFor(get(urlEqualTo("/data/projects/P1/prearchive_code"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain").withBody("0\n")));
        wm.stubFor(get(urlEqualTo("/data/projects/NOPE/prearchive_code")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "text/html").withBody(HTML_500)));

        assertThat(projects.prearchiveCode("P1")).contains(0);
        assertThat(projects.prearchiveCode("NOPE")).isEmpty();
    }

    @Test
    void aPrearchiveCodeThatIsNotAnIntegerOrAnErrorIsABadGateway() {
        for (var response : java.util.List.of(aResponse().withStatus(200).withBody("four"),
                aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody(HTML_500),
                aResponse().withStatus(500).withBody(HTML_500))) {
            wm.stubFor(get(urlEqualTo("/data/projects/P1/prearchive_code")).willReturn(response));
            assertThatThrownBy(() -> projects.prearchiveCode("P1")).isInstanceOfSatisfying(XnatFailure.class,
                    e -> assertThat(XnatProblems.of(e).status().value()).isEqualTo(502));
        }
    }

    @Test
    void everyProjectWithExactlyTheSecondaryIdIsATwinInXnatsOrder() {
        // a non-admin account gets the whole listing (XNAT ignores the filter): the match is ours
        wm.stubFor(get(urlEqualTo("/data/projects?format=json&secondary_ID=hub-1")).willReturn(okJson(
                "{\"ResultSet\":{\"Result\":[" + projectRow("B", "hub-1") + "," + projectRow("C", "HUB-1") + ","
                        + projectRow("A", "hub-1") + "]}}")));

        assertThat(projects.findAllBySecondaryId("hub-1")).extracting(Project::id).containsExactly("B", "A");
    }

    @Test
    void wrapperEnablementIsXnatsProjectEnabledReport() {
        wm.stubFor(get(urlEqualTo(ENABLED)).willReturn(okJson(
                "{\"enabled-for-site\":true,\"enabled-for-project\":false,\"project\":\"P1\"}")));

        assertThat(subscriptions.wrapperEnablement("P1", DCM2NIIX))
                .contains(new XnatEventSubscriptions.WrapperEnablement(true, false));
    }

    @Test
    void wrapperEnablementOfAnUnknownProjectIsEmptyAndARefusalSaysWhichAccessIsMissing() {
        wm.stubFor(get(urlEqualTo(ENABLED)).willReturn(aResponse().withStatus(404).withBody("No such project")));
        assertThat(subscriptions.wrapperEnablement("P1", DCM2NIIX)).isEmpty();

        wm.stubFor(get(urlEqualTo(ENABLED)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "text/plain").withBody("User imaging-api does not have Edit access.")));
        assertThatThrownBy(() -> subscriptions.wrapperEnablement("P1", DCM2NIIX))
                .isInstanceOfSatisfying(XnatFailure.class, e -> {
                    assertThat(XnatProblems.of(e).status().value()).isEqualTo(502);
                    assertThat(e.detail()).contains("edit access").doesNotContain("event service");
                });
    }

    @Test
    void aReportWithoutTheFlagsIsABadGatewayNeverDisabled() {
        for (String body : java.util.List.of("{}", "{\"enabled-for-site\":\"yes\",\"enabled-for-project\":true}",
                "[]")) {
            wm.stubFor(get(urlEqualTo(ENABLED)).willReturn(okJson(body)));
            assertThatThrownBy(() -> subscriptions.wrapperEnablement("P1", DCM2NIIX)).as(body)
                    .isInstanceOfSatisfying(XnatFailure.class,
                            e -> assertThat(XnatProblems.of(e).status().value()).isEqualTo(502));
        }
    }
}
