package org.flip.imagingapi.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
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
            "AES_KEY_BASE64", "DCM2NIIX_IMAGE", "SERVER_PORT", "MANAGEMENT_SERVER_PORT",
            "TRUST_INTERNAL_SERVICE_KEY_PREVIOUS", "FLIP_RELEASE");
    private static final int API_PORT = 8000;
    private static final int MANAGEMENT_PORT = 8081;
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
        assertThat(strings(api.get("ports"))).containsExactly("${IMAGING_API_BIND:-127.0.0.1}:8000:8000");
        assertThat(map(api.get("environment"))).containsEntry("SERVER_PORT", String.valueOf(API_PORT))
                .containsEntry("MANAGEMENT_SERVER_PORT", String.valueOf(MANAGEMENT_PORT));
        assertThat(map(map(api.get("depends_on")).get("xnat-bootstrap")))
                .containsEntry("condition", "service_completed_successfully");
        assertThat(strings(api.get("cap_drop"))).containsExactly("ALL");
        assertThat(api.get("read_only")).isEqualTo(true);
    }

    /**
     * Issue 17: NRG's own compose publishes only its proxy. Here every published port binds the
     * loopback address unless the operator names another one, and the management port (no key) is
     * published nowhere.
     */
    @Test
    void composePublishesNothingBeyondLoopbackByDefaultAndNeverTheManagementPort() throws IOException {
        Map<String, Object> services = map(compose().get("services"));
        Pattern loopbackByDefault = Pattern.compile("(127\\.0\\.0\\.1|\\$\\{[A-Z_]+:-127\\.0\\.0\\.1\\}):(\\d+):(\\d+)");
        List<String> published = new ArrayList<>();
        services.forEach((name, service) -> {
            Object ports = map(service).get("ports");
            if (ports != null) {
                for (String port : strings(ports)) {
                    Matcher m = loopbackByDefault.matcher(port);
                    assertThat(m.matches()).as("%s publishes %s", name, port).isTrue();
                    assertThat(m.group(3)).as(name).isNotEqualTo(String.valueOf(MANAGEMENT_PORT));
                    published.add(name + ":" + m.group(3));
                }
            }
        });
        assertThat(published).containsExactlyInAnyOrder("imaging-api:8000", "xnat-web:8080", "xnat-web:8104");
    }

    @Test
    void composeRunsARealXnatWithItsWebAndDicomPortsAndADatabase() throws IOException {
        Map<String, Object> compose = compose();
        Map<String, Object> web = service(compose, "xnat-web");

        assertThat(String.valueOf(web.get("image"))).matches("xnatworks/xnat-web:\\d+(\\.\\d+)+");
        assertThat(strings(web.get("ports"))).containsExactly("${XNAT_WEB_BIND:-127.0.0.1}:8080:8080",
                "${XNAT_DICOM_BIND:-127.0.0.1}:8104:8104");
        assertThat(String.valueOf(service(compose, "xnat-db").get("image"))).startsWith("postgres:");
        assertThat(map(map(web.get("depends_on")).get("xnat-db"))).containsEntry("condition", "service_healthy");
    }

    /** No admin/admin after docker compose up: the admin password is a required secret the bootstrap sets. */
    @Test
    void theXnatAdminPasswordIsARequiredSecretNeverTheDefault() throws IOException {
        Map<String, Object> bootstrap = map(service(compose(), "xnat-bootstrap").get("environment"));
        String script = Files.readString(Path.of("deploy/xnat-bootstrap.sh"));

        assertThat(String.valueOf(bootstrap.get("XNAT_ADMIN_PASSWORD"))).startsWith("${XNAT_ADMIN_PASSWORD:?");
        assertThat(script).contains(": \"${XNAT_ADMIN_PASSWORD:?").doesNotContain("XNAT_ADMIN_PASSWORD:=")
                .containsSubsequence("POST /xapi/siteConfig", "PUT \"/xapi/users/$XNAT_ADMIN_USER\"",
                        "POST /xapi/users");
        assertThat(Files.readString(Path.of("docker-compose.yml"))).doesNotContain("XNAT_ADMIN_PASSWORD:-");
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
                "siteUrl", "PUT /xapi/events/prefs", "POST /xapi/users",
                "Administrator ContainerManager Dqr non_expiring", "ALL_DATA_ADMIN", "POST /xapi/commands",
                "/wrappers/$WRAPPER/enabled");

        Map<String, Object> command = map(new Yaml().load(Files.readString(Path.of("deploy/dcm2niix-command.json"))));
        assertThat(command).containsEntry("name", "dcm2niix");
        Map<String, Object> wrapper = map(((List<?>) command.get("xnat")).get(0));
        assertThat(wrapper).containsEntry("name", "dcm2niix-scan");
        assertThat(strings(wrapper.get("contexts"))).containsExactly("xnat:imageScanData");
        assertThat(map(((List<?>) wrapper.get("output-handlers")).get(0))).containsEntry("label", "NIFTI");
    }

    @Test
    void kubernetesProbesUseTheActuatorPathsOnTheManagementPortAndThePodRunsLockedDown() throws IOException {
        List<Map<String, Object>> documents = kubernetes();
        Map<String, Object> pod = podSpec(documents);
        Map<String, Object> container = container(pod);

        assertThat(probePath(container, "livenessProbe")).isEqualTo("/actuator/health/liveness");
        assertThat(probePath(container, "readinessProbe")).isEqualTo("/actuator/health/readiness");
        assertThat(probePath(container, "startupProbe")).isEqualTo("/actuator/health/liveness");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(containerPort(container, map(map(container.get(probe)).get("httpGet")).get("port")))
                    .as(probe).isEqualTo(MANAGEMENT_PORT);
        }
        assertThat(map(pod.get("securityContext"))).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 10001);
        Map<String, Object> security = map(container.get("securityContext"));
        assertThat(security).containsEntry("readOnlyRootFilesystem", true).containsEntry("allowPrivilegeEscalation", false);
        assertThat(strings(map(security.get("capabilities")).get("drop"))).containsExactly("ALL");
        assertThat(container.get("volumeMounts").toString()).contains("mountPath=/tmp");
        Map<String, Object> resources = map(container.get("resources"));
        assertThat(map(resources.get("requests"))).containsKey("memory");
        assertThat(map(resources.get("limits"))).containsKey("memory");
    }

    /** The ports the container declares are the ones the application is told to listen on. */
    @Test
    void kubernetesPortsMatchWhatTheApplicationListensOn() throws IOException {
        List<Map<String, Object>> documents = kubernetes();
        Map<String, Object> pod = podSpec(documents);
        Map<String, Object> container = container(pod);
        Map<String, String> env = new LinkedHashMap<>();
        for (Object variable : (List<?>) container.get("env")) {
            env.put(String.valueOf(map(variable).get("name")), String.valueOf(map(variable).get("value")));
        }

        assertThat(containerPort(container, "http")).isEqualTo(API_PORT);
        assertThat(containerPort(container, "management")).isEqualTo(MANAGEMENT_PORT);
        assertThat(env).containsEntry("SERVER_PORT", String.valueOf(API_PORT))
                .containsEntry("MANAGEMENT_SERVER_PORT", String.valueOf(MANAGEMENT_PORT));
        Map<String, Object> annotations = map(map(map(map(kind(documents, "Deployment").get("spec")).get("template"))
                .get("metadata")).get("annotations"));
        assertThat(annotations).containsEntry("prometheus.io/port", String.valueOf(MANAGEMENT_PORT))
                .containsEntry("prometheus.io/path", "/actuator/prometheus");

        // The Service carries the API only; the management port is no Service's.
        Map<String, Object> service = kind(documents, "Service");
        assertThat(map(map(service.get("spec")).get("selector"))).isEqualTo(podLabels(documents));
        List<?> servicePorts = (List<?>) map(service.get("spec")).get("ports");
        assertThat(servicePorts).hasSize(1);
        assertThat(map(servicePorts.get(0))).containsEntry("port", API_PORT);
        assertThat(containerPort(container, map(servicePorts.get(0)).get("targetPort"))).isEqualTo(API_PORT);
    }

    /** Only the task runner reaches 8000; only the monitoring namespace reaches 8081; nobody else anything. */
    @Test
    void theNetworkPolicyLetsTheTaskRunnerReachTheApiAndMonitoringTheManagementPortOnly() throws IOException {
        List<Map<String, Object>> documents = kubernetes();
        Map<String, Object> policy = map(kind(documents, "NetworkPolicy").get("spec"));
        Map<String, Object> container = container(podSpec(documents));

        assertThat(map(map(policy.get("podSelector")).get("matchLabels"))).isEqualTo(podLabels(documents));
        assertThat(strings(policy.get("policyTypes"))).contains("Ingress");
        Map<Integer, List<Map<String, Object>>> peersByPort = new TreeMap<>();
        for (Object rule : (List<?>) policy.get("ingress")) {
            // A rule without "from" or without "ports" would open the pod to everyone or on every port.
            assertThat(map(rule)).containsKeys("from", "ports");
            List<Map<String, Object>> peers = ((List<?>) map(rule).get("from")).stream().map(p -> map(p)).toList();
            assertThat(peers).isNotEmpty();
            for (Object port : (List<?>) map(rule).get("ports")) {
                assertThat(map(port)).containsEntry("protocol", "TCP");
                int number = containerPort(container, map(port).get("port"));
                assertThat(peersByPort.put(number, peers)).as("port %d in a single rule", number).isNull();
            }
        }
        assertThat(peersByPort.keySet()).containsExactly(API_PORT, MANAGEMENT_PORT);

        // 8000: pods of this namespace with the task runner's labels, nothing wider.
        assertThat(peersByPort.get(API_PORT)).singleElement().satisfies(peer -> {
            assertThat(peer.keySet()).containsExactly("podSelector");
            assertThat(map(map(peer.get("podSelector")).get("matchLabels"))).isNotEmpty()
                    .isNotEqualTo(podLabels(documents));
        });
        // 8081: any pod of the monitoring namespace, named by its well-known label.
        assertThat(peersByPort.get(MANAGEMENT_PORT)).singleElement().satisfies(peer -> {
            assertThat(peer.keySet()).containsExactly("namespaceSelector");
            assertThat(map(map(peer.get("namespaceSelector")).get("matchLabels")))
                    .containsOnlyKeys("kubernetes.io/metadata.name");
        });
    }

    /**
     * Issue 14: a shutdown drains longer than the provisioning deadline, and the pod (and the compose
     * container) is given time for every step before it is killed.
     */
    @Test
    void theShutdownBudgetFitsTheDeadlineAndTheGracePeriods() throws IOException {
        Map<String, Object> app = applicationYml();
        Duration deadline = duration(app, "provisioning.deadline");
        Duration readinessDrain = duration(app, "imaging-api.shutdown.readiness-drain");
        Duration drain = duration(app, "imaging-api.shutdown.drain-timeout");
        Duration phase = duration(app, "spring.lifecycle.timeout-per-shutdown-phase");
        Duration logout = duration(app, "xnat.timeouts.login");
        assertThat(drain).as("drain timeout vs provisioning deadline").isGreaterThanOrEqualTo(deadline.plusSeconds(3));
        // After the drain: the API server's graceful stop, the management server's, the XNAT logout.
        Duration afterSigterm = readinessDrain.plus(drain).plus(phase.multipliedBy(2)).plus(logout).plusSeconds(5);

        Map<String, Object> pod = podSpec(kubernetes());
        List<String> preStop = strings(map(map(map(container(pod).get("lifecycle")).get("preStop")).get("exec"))
                .get("command"));
        assertThat(preStop).hasSize(2).startsWith("sleep");
        Duration sleep = Duration.ofSeconds(Long.parseLong(preStop.get(1)));
        assertThat(sleep).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(30));
        assertThat(Duration.ofSeconds(((Number) pod.get("terminationGracePeriodSeconds")).longValue()))
                .as("terminationGracePeriodSeconds").isGreaterThanOrEqualTo(sleep.plus(afterSigterm));

        Object composeGrace = service(compose(), "imaging-api").get("stop_grace_period");
        assertThat(DurationStyle.detectAndParse(String.valueOf(composeGrace))).as("compose stop_grace_period")
                .isGreaterThanOrEqualTo(afterSigterm);
    }

    @Test
    void kubernetesReadsEveryContractVariableFromItsEnvOrTheSecretItDefines() throws IOException {
        List<Map<String, Object>> documents = kubernetes();
        Map<String, Object> container = container(podSpec(documents));
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
    }

    private static Map<String, Object> podSpec(List<Map<String, Object>> documents) {
        return map(map(map(kind(documents, "Deployment").get("spec")).get("template")).get("spec"));
    }

    private static Map<String, Object> podLabels(List<Map<String, Object>> documents) {
        return map(map(map(map(kind(documents, "Deployment").get("spec")).get("template")).get("metadata"))
                .get("labels"));
    }

    private static Map<String, Object> container(Map<String, Object> pod) {
        return map(((List<?>) pod.get("containers")).get(0));
    }

    /** A port as Kubernetes resolves it: a number, or the name of one of the container's ports. */
    private static int containerPort(Map<String, Object> container, Object port) {
        if (port instanceof Number number) {
            return number.intValue();
        }
        for (Object declared : (List<?>) container.get("ports")) {
            if (String.valueOf(port).equals(map(declared).get("name"))) {
                return ((Number) map(declared).get("containerPort")).intValue();
            }
        }
        throw new AssertionError("the container declares no port named " + port);
    }

    private static Map<String, Object> applicationYml() throws IOException {
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.yml"))) {
            return map(new Yaml().load(reader));
        }
    }

    /** A duration from application.yml by its dotted name; a ${VAR:default} placeholder gives its default. */
    private static Duration duration(Map<String, Object> yml, String name) {
        Object value = yml;
        for (String part : name.split("\\.")) {
            value = map(value).get(part);
            assertThat(value).as(name).isNotNull();
        }
        String text = String.valueOf(value).replaceAll("^\\$\\{[^:}]+:(.*)}$", "$1");
        return DurationStyle.detectAndParse(text);
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

    /**
     * The image's HEALTHCHECK, run as Docker runs it (bash, /dev/tcp) against a stand-in for the
     * management port: it asks liveness there, and only a 200 counts.
     */
    @Test
    void theImagesHealthCheckAsksLivenessOnTheManagementPort() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile")).replace("\\\n", " ");
        Matcher check = Pattern.compile("HEALTHCHECK [^\\n]*? CMD (\\[.*])").matcher(dockerfile);
        assertThat(check.find()).as("HEALTHCHECK ... CMD [...] in the Dockerfile").isTrue();
        List<String> command = new ObjectMapper().readValue(check.group(1), new TypeReference<List<String>>() { });
        assertThat(dockerfile).contains("MANAGEMENT_SERVER_PORT=" + MANAGEMENT_PORT)
                .containsPattern("EXPOSE " + API_PORT + " " + MANAGEMENT_PORT);

        AtomicInteger answer = new AtomicInteger(200);
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer management = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        management.createContext("/", exchange -> {
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        management.start();
        try {
            assertThat(healthCheck(command, management.getAddress().getPort())).as("exit status when 200").isZero();
            assertThat(asked).containsExactly("GET /actuator/health/liveness");
            answer.set(503);
            assertThat(healthCheck(command, management.getAddress().getPort())).as("exit status when 503").isNotZero();
        } finally {
            management.stop(0);
        }
    }

    private static int healthCheck(List<String> command, int managementPort) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MANAGEMENT_SERVER_PORT", String.valueOf(managementPort));
        builder.environment().put("SERVER_PORT", "9");   // anything listening there is not asked
        Process process = builder.start();
        assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
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
