package org.flip.imagingapi.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * deploy/xnat-bootstrap.sh run for real (sh, curl, jq) against a WireMock XNAT that behaves like a
 * fresh one: admin/admin works until the bootstrap replaces it with XNAT_ADMIN_PASSWORD, and the
 * service account gets the non_expiring role (xnat-rest-behaviour.md §2.2a).
 */
class XnatBootstrapScriptTest {

    static final String ADMIN_PASSWORD = "adm1n-Secret-From-The-Vault";
    static final String SERVICE_USER = "imaging-api";
    static final String DEFAULT_CREDENTIALS =
            "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));

    @RegisterExtension
    static WireMockExtension xnat = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @BeforeEach
    void tools() {
        for (String tool : List.of("sh", "curl", "jq")) {
            assumeTrue(onPath(tool), tool + " is not installed (.ci/run installs it)");
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Everything the bootstrap asks of XNAT, answered as XNAT does, for the admin with {@code password}. */
    private static void xnatAnswersTheAdmin(String password) {
        xnat.stubFor(as(password, post("/xapi/siteConfig")).willReturn(okJson("{}")));
        xnat.stubFor(as(password, get(urlPathEqualTo("/xapi/users/username"))).willReturn(aResponse().withBody("admin")));
        xnat.stubFor(as(password, get(urlPathEqualTo("/xapi/commands"))).willReturn(okJson("[]")));
        xnat.stubFor(as(password, put("/xapi/events/prefs")).willReturn(okJson("{}")));
        xnat.stubFor(as(password, post("/xapi/users")).willReturn(aResponse().withStatus(201).withBody("{}")));
        xnat.stubFor(as(password, put(urlPathMatching("/xapi/users/" + SERVICE_USER + "/(roles|groups)/.+")))
                .willReturn(aResponse().withStatus(200)));
        xnat.stubFor(as(password, put("/xapi/users/guest/enabled/false")).willReturn(aResponse().withStatus(200)));
        xnat.stubFor(as(password, post("/xapi/docker/server")).willReturn(okJson("{}")));
        xnat.stubFor(as(password, post("/xapi/commands")).willReturn(aResponse().withStatus(201).withBody("12")));
        xnat.stubFor(as(password, put("/xapi/commands/12/wrappers/dcm2niix-scan/enabled"))
                .willReturn(aResponse().withStatus(200)));
    }

    private static MappingBuilder as(String password, MappingBuilder request) {
        return request.withBasicAuth("admin", password);
    }

    private static void xnatIsUpAndRefusesAnyoneElse() {
        xnat.stubFor(any(anyUrl()).atPriority(100).willReturn(aResponse().withStatus(401)));
        xnat.stubFor(get(urlEqualTo("/xapi/siteConfig/buildInfo")).willReturn(okJson("{\"version\":\"1.10.0\"}")));
        xnat.stubFor(get(urlEqualTo("/xapi/siteConfig/buildInfo/version")).willReturn(aResponse().withBody("1.10.0")));
    }

    private static String run() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "deploy/xnat-bootstrap.sh").redirectErrorStream(true);
        builder.environment().put("XNAT_URL", xnat.baseUrl());
        builder.environment().put("XNAT_ADMIN_USER", "admin");
        builder.environment().put("XNAT_ADMIN_PASSWORD", ADMIN_PASSWORD);
        builder.environment().put("XNAT_SERVICE_USER", SERVICE_USER);
        builder.environment().put("XNAT_SERVICE_PASSWORD", "service-account-password");
        builder.environment().put("DCM2NIIX_IMAGE", "ghcr.io/londonaicentre/xnat-dcm2niix:v1.0.20260724");
        builder.environment().put("COMMAND_JSON", "deploy/dcm2niix-command.json");
        Process process = builder.start();
        boolean ended = process.waitFor(120, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ended).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void onAFreshXnatTheDefaultAdminPasswordIsReplacedBeforeAnythingElse() throws Exception {
        xnatIsUpAndRefusesAnyoneElse();
        xnatAnswersTheAdmin(ADMIN_PASSWORD);
        // Until the change, the secret is not the admin's password yet; admin/admin is.
        xnat.stubFor(as(ADMIN_PASSWORD, post("/xapi/siteConfig")).atPriority(1)
                .inScenario("fresh").whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(401)));
        xnat.stubFor(as("admin", post("/xapi/siteConfig")).willReturn(okJson("{}")));
        xnat.stubFor(as("admin", put("/xapi/users/admin"))
                .withRequestBody(equalToJson("{\"password\": \"" + ADMIN_PASSWORD + "\"}"))
                .inScenario("fresh").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("changed")
                .willReturn(aResponse().withStatus(200)));

        String output = run();

        assertThat(output).contains("replaced the default password of admin").doesNotContain(ADMIN_PASSWORD);
        List<LoggedRequest> requests = xnat.findAll(anyRequestedFor(anyUrl()));
        int change = indexOf(requests, "PUT", "/xapi/users/admin");
        assertThat(change).as("the password change").isNotNegative();
        // The default credentials serve the first site-config call and the change, nothing after it.
        for (int i = 0; i < requests.size(); i++) {
            boolean asDefault = DEFAULT_CREDENTIALS.equals(requests.get(i).getHeader("Authorization"));
            if (i > change) {
                assertThat(asDefault).as("request %d %s", i, requests.get(i).getUrl()).isFalse();
            }
        }
        xnat.verify(putRequestedFor(urlEqualTo("/xapi/users/" + SERVICE_USER + "/roles/non_expiring"))
                .withBasicAuth(new BasicCredentials("admin", ADMIN_PASSWORD)));
    }

    @Test
    void aReRunLogsInWithTheSecretAndChangesNoPassword() throws Exception {
        xnatIsUpAndRefusesAnyoneElse();
        xnatAnswersTheAdmin(ADMIN_PASSWORD);

        String output = run();

        assertThat(output).doesNotContain("replaced the default password");
        xnat.verify(0, putRequestedFor(urlEqualTo("/xapi/users/admin")));
        for (String role : List.of("Administrator", "ContainerManager", "Dqr", "non_expiring")) {
            xnat.verify(putRequestedFor(urlEqualTo("/xapi/users/" + SERVICE_USER + "/roles/" + role)));
        }
        xnat.verify(getRequestedFor(urlPathEqualTo("/xapi/commands")));
    }

    private static int indexOf(List<LoggedRequest> requests, String method, String url) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).getMethod().getName().equals(method) && requests.get(i).getUrl().equals(url)) {
                return i;
            }
        }
        return -1;
    }
}
