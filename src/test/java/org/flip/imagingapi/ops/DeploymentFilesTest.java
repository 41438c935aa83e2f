package org.flip.imagingapi.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No container engine runs where the tests run, so the deployment files are checked as data: the
 * service gets exactly the configuration the contract defines, and the probes and the security
 * context point where the application serves them.
 */
class DeploymentFilesTest {

    /** Contract §1.1. */
    private static final Set<String> CONTRACT_VARIABLES = Set.of("XNAT_URL", "XNAT_SERVICE_USER",
            "XNAT_SERVICE_PASSWORD", "TRUST_INTERNAL_SERVICE_KEY", "TRUST_INTERNAL_SERVICE_KEY_HEADER",
            "AES_KEY_BASE64", "DCM2NIIX_IMAGE", "SERVER_PORT");
    /** Documented operational switches (README configuration table). */
    private static final Set<String> OPERATIONAL_VARIABLES = Set.of("LOG_FORMAT", "API_DOCS_ENABLED");
    private static final Set<String> SECRETS = Set.of("XNAT_SERVICE_PASSWORD", "TRUST_INTERNAL_SERVICE_KEY",
            "AES_KEY_BASE64");

    @Test
    void composeGivesTheServiceExactlyTheContractsVariablesAndRequiresItsSecrets() throws IOException {
        Map<String, Object> api = service(compose(), "imaging-api");
        Map<String, Object> environment = map(api.get("environment"));

        Set<String> expected = new TreeSet<>(CONTRACT_VARIABLES);
        expected.addAll(OPERATIONAL_VARIABLES);
        assertThat(new TreeSet<>(environment.keySet())).isEqualTo(expected);
        for (String secret : SECRETS) {
            // ${VAR:?message}: compose stops with the message instead of starting with an empty secret.
            assertThat(String.valueOf(environment.get(secret))).as(secret).startsWith("${" + secret + ":?");
        }
        assertThat(String.valueOf(environment.get("DCM2NIIX_IMAGE"))).doesNotContain(":latest");
        assertThat(environment.get("XNAT_URL")).isEqualTo("http://xnat-web:8080");
    }

    @Test
    void composeRunsTheServiceOnPort8000FromThisDockerfileAfterTheBootstrapSucceeded() throws IOException {
        Map<String, Object> api = service(compose(), "imaging-api");

        assertThat(api.get("build")).isEqualTo(".");
        assertThat(strings(api.get("ports"))).containsExactly("8000:8000");
        assertThat(map(map(api.get("depends_on")).get("xnat-bootstrap")))
                .containsEntry("condition", "service_completed_successfully");
        assertThat(strings(api.get("cap_drop"))).containsExactly("ALL");
        assertThat(api.get("read_only")).isEqualTo(true);
    }

    @Test
    void composeRunsARealXnatWithItsWebAndDicomPortsAndADatabase() throws IOException {
        Map<String, Object> compose = compose();
        Map<String, Object> web = service(compose, "xnat-web");

        assertThat(String.valueOf(web.get("image"))).matches("xnatworks/xnat-web:\\d+(\\.\\d+)+");
        assertThat(strings(web.get("ports"))).contains("8080:8080", "8104:8104");
        assertThat(String.valueOf(service(compose, "xnat-db").get("image"))).startsWith("postgres:");
        assertThat(map(map(web.get("depends_on")).get("xnat-db"))).containsEntry("condition", "service_healthy");
    }

    @Test
    void theBootstrapRegistersTheSameDcm2niixImageTheServiceLooksUp() throws IOException {
        Map<String, Object> compose = compose();
        Map<String, Object> bootstrap = service(compose, "xnat-bootstrap");
        String script = Files.readString(Path.of("deploy/xnat-bootstrap.sh"));

        assertThat(map(bootstrap.get("environment")).get("DCM2NIIX_IMAGE"))
                .isEqualTo(map(service(compose, "imaging-api").get("environment")).get("DCM2NIIX_IMAGE"));
        assertThat(strings(bootstrap.get("entrypoint"))).contains("/deploy/xnat-bootstrap.sh");
        // The sequence of xnat-rest-behaviour.md §10.2, in the order XNAT needs it.
        assertThat(script).containsSubsequence("/xapi/siteConfig/buildInfo", "POST /xapi/siteConfig",
                "siteUrl", "PUT /xapi/events/prefs", "POST /xapi/users", "Administrator ContainerManager Dqr",
                "ALL_DATA_ADMIN", "POST /xapi/commands", "/wrappers/$WRAPPER/enabled");

        Map<String, Object> command = map(new Yaml().load(Files.readString(Path.of("deploy/dcm2niix-command.json"))));
        assertThat(command).containsEntry("name", "dcm2niix");
        Map<String, Object> wrapper = map(((List<?>) command.get("xnat")).get(0));
        assertThat(wrapper).containsEntry("name", "dcm2niix-scan");
        assertThat(strings(wrapper.get("contexts"))).containsExactly("xnat:imageScanData");
        assertThat(map(((List<?>) wrapper.get("output-handlers")).get(0))).containsEntry("label", "NIFTI");
    }

    @Test
    void kubernetesProbesUseTheActuatorPathsAndThePodRunsLockedDown() throws IOException {
        List<Map<String, Object>> documents = kubernetes();
        Map<String, Object> deployment = kind(documents, "Deployment");
        Map<String, Object> pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
        Map<String, Object> container = map(((List<?>) pod.get("containers")).get(0));

        assertThat(probePath(container, "livenessProbe")).isEqualTo("/actuator/health/liveness");
        assertThat(probePath(container, "readinessProbe")).isEqualTo("/actuator/health/readiness");
        assertThat(probePath(container, "startupProbe")).isEqualTo("/actuator/health/liveness");
        assertThat(map(pod.get("securityContext"))).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 10001);
        Map<String, Object> security = map(container.get("securityContext"));
        assertThat(security).containsEntry("readOnlyRootFilesystem", true).containsEntry("allowPrivilegeEscalation", false);
        assertThat(strings(map(security.get("capabilities")).get("drop"))).containsExactly("ALL");
        assertThat(container.get("volumeMounts").toString()).contains("mountPath=/tmp");
        Map<String, Object> resources = map(container.get("resources"));
        assertThat(map(resources.get("requests"))).containsKey("memory");
        assertThat(map(resources.get("limits"))).containsKey("memory");
        assertThat(((List<?>) container.get("ports")).toString()).contains("containerPort=8000");
    }

    @Test
    void kubernetesReadsEveryContractVariableFromItsEnvOrTheSecretItDefines() throws IOException {
        List<Map<String, Object>> documents = kubernetes();
        Map<String, Object> deployment = kind(documents, "Deployment");
        Map<String, Object> container = map(((List<?>) map(map(map(deployment.get("spec")).get("template"))
                .get("spec")).get("containers")).get(0));
        Map<String, Object> secret = kind(documents, "Secret");

        Set<String> names = new TreeSet<>(map(secret.get("stringData")).keySet());
        for (Object env : (List<?>) container.get("env")) {
            names.add(String.valueOf(map(env).get("name")));
        }
        Set<String> expected = new TreeSet<>(CONTRACT_VARIABLES);
        expected.addAll(OPERATIONAL_VARIABLES);
        assertThat(names).isEqualTo(expected);
        assertThat(map(secret.get("stringData")).keySet()).containsAll(SECRETS);
        String secretName = String.valueOf(map(secret.get("metadata")).get("name"));
        assertThat(container.get("envFrom").toString()).contains("name=" + secretName);

        Map<String, Object> service = kind(documents, "Service");
        assertThat(map(((List<?>) map(service.get("spec")).get("ports")).get(0))).containsEntry("port", 8000);
    }

    private static String probePath(Map<String, Object> container, String probe) {
        return String.valueOf(map(map(container.get(probe)).get("httpGet")).get("path"));
    }

    private static Map<String, Object> compose() throws IOException {
        try (Reader reader = Files.newBufferedReader(Path.of("docker-compose.yml"))) {
            return map(new Yaml().load(reader));
        }
    }

    /**
     * An unknown -XX flag stops the JVM before anything runs, so a typo in the image's JAVA_OPTS would
     * be a container that never starts. Every flag is given to this JDK (17, as in the image), which
     * must accept the whole set and report the values the Dockerfile means.
     */
    @Test
    void theImagesJvmFlagsAreAcceptedByAJava17VmWithTheValuesTheyName() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile")).replace("\\\n", " ");
        Matcher opts = Pattern.compile("JAVA_OPTS=\"([^\"]*)\"").matcher(dockerfile);
        assertThat(opts.find()).as("JAVA_OPTS in the Dockerfile").isTrue();
        List<String> flags = List.of(opts.group(1).trim().split("\\s+"));
        assertThat(flags).contains("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=40", "-XX:TrimNativeHeapInterval=5000");
        assertThat(dockerfile).contains("MALLOC_ARENA_MAX=2");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:MaxRAM=384m");
        command.addAll(flags);
        command.add("-XX:+PrintFlagsFinal");
        command.add("-version");
        Process vm = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(vm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(vm.waitFor()).as(output).isZero();
        assertThat(output).containsPattern("UseSerialGC\\s+= true")
                .containsPattern("MaxHeapFreeRatio\\s+= 40")
                .containsPattern("TrimNativeHeapInterval\\s+= 5000")
                // 40 % of the 384 MB container limit
                .containsPattern("MaxHeapSize\\s+= 16[0-9]{7}\\b");
    }

    private static Map<String, Object> service(Map<String, Object> compose, String name) {
        Map<String, Object> service = map(map(compose.get("services")).get(name));
        assertThat(service).as("compose service " + name).isNotNull();
        return service;
    }

    private static List<Map<String, Object>> kubernetes() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(Path.of("deploy/kubernetes.yaml"))) {
            for (Object document : new Yaml().loadAll(reader)) {
                documents.add(map(document));
            }
        }
        return documents;
    }

    private static Map<String, Object> kind(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in deploy/kubernetes.yaml"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static List<String> strings(Object value) {
        return ((List<?>) value).stream().map(String::valueOf).toList();
    }
}
