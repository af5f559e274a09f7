package dev.keyledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks deploy/ as rendered and parsed, not as text: every Kubernetes overlay rendered offline with
 * {@code kubectl kustomize}, deploy/compose.yaml, the local cluster's component list, the Grafana
 * dashboards (job and instance variables in every Prometheus query, per-instance panels) and the
 * alert rules' runbooks.
 */
class DeployManifestsTest {

    private static final Path DEPLOY = locateDeploy();

    /** CONTRACT.md "Ports": the API and management port of each service inside its container. */
    private static final Map<String, List<Integer>> CONTAINER_PORTS = Map.of(
            "auth-edge", List.of(8080, 9080),
            "command-service", List.of(8081, 9081),
            "query-service", List.of(8082, 9082),
            "portal", List.of(8083, 9083),
            "kafka", List.of(9092),
            "idp", List.of(8090),
            "upstream", List.of(8099));

    /** CONTRACT.md "Local cluster": the host ports of each component (API, then management). */
    private static final Map<String, List<Integer>> CLUSTER_PORTS = new LinkedHashMap<>();

    static {
        CLUSTER_PORTS.put("kafka-1", List.of(19092));
        CLUSTER_PORTS.put("kafka-2", List.of(19093));
        CLUSTER_PORTS.put("kafka-3", List.of(19094));
        CLUSTER_PORTS.put("postgres", List.of(25432));
        CLUSTER_PORTS.put("redis", List.of(26379));
        CLUSTER_PORTS.put("idp", List.of(18090));
        CLUSTER_PORTS.put("upstream", List.of(18099));
        CLUSTER_PORTS.put("command-1", List.of(18181, 19181));
        CLUSTER_PORTS.put("query-1", List.of(18182, 19182));
        CLUSTER_PORTS.put("query-2", List.of(18183, 19183));
        CLUSTER_PORTS.put("edge-1", List.of(18080, 19080));
        CLUSTER_PORTS.put("edge-2", List.of(18081, 19081));
        CLUSTER_PORTS.put("edge-3", List.of(18082, 19082));
        CLUSTER_PORTS.put("lb", List.of(18000));
        CLUSTER_PORTS.put("portal", List.of(18083, 19083));
        CLUSTER_PORTS.put("prometheus", List.of(19090));
    }

    static Stream<String> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(DEPLOY.resolve("k8s/overlays"))) {
            return dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void thereAreLocalAndProductionOverlays() throws IOException {
        assertThat(overlays().toList()).contains("local", "production");
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void everyWorkloadHasProbesResourcesAndADisruptionBudget(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        List<Map<String, Object>> workloads = ofKind(docs, "Deployment", "StatefulSet");
        assertThat(workloads).as("workloads of %s", overlay).isNotEmpty();
        List<Map<String, Object>> budgets = ofKind(docs, "PodDisruptionBudget");
        for (Map<String, Object> workload : workloads) {
            String name = name(workload);
            for (Map<String, Object> container : containers(workload)) {
                String where = overlay + " " + name + "/" + container.get("name");
                assertThat(container).as("%s probes", where).containsKeys("readinessProbe", "livenessProbe");
                Map<String, Object> resources = map(container.get("resources"));
                assertThat(map(resources.get("requests")))
                        .as("%s requests", where)
                        .containsKeys("cpu", "memory");
                assertThat(map(resources.get("limits"))).as("%s limits", where).containsKeys("cpu", "memory");
            }
            Map<String, Object> selector =
                    map(map(map(workload.get("spec")).get("selector")).get("matchLabels"));
            assertThat(budgets.stream()
                            .filter(pdb -> selector.equals(map(
                                    map(map(pdb.get("spec")).get("selector")).get("matchLabels")))))
                    .as("%s: a PodDisruptionBudget selecting %s", overlay, selector)
                    .hasSize(1);
        }
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void edgesAndBrokersKeepApartAndThereAreEnoughOfThem(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        for (String app : List.of("auth-edge", "kafka")) {
            Map<String, Object> workload = workloadOf(docs, app);
            assertThat(((Number) map(workload.get("spec")).get("replicas")).intValue())
                    .as("%s replicas in %s", app, overlay)
                    .isEqualTo(3);
            Map<String, Object> antiAffinity =
                    map(map(podSpec(workload).get("affinity")).get("podAntiAffinity"));
            assertThat(antiAffinity)
                    .as("%s podAntiAffinity in %s", app, overlay)
                    .isNotEmpty();
            assertThat(antiAffinity.toString())
                    .as("%s keeps away from its own pods", app)
                    .contains("app.kubernetes.io/name=" + app)
                    .contains("kubernetes.io/hostname");
        }
        assertThat(((Number) map(workloadOf(docs, "query-service").get("spec")).get("replicas")).intValue())
                .as("query-service replicas")
                .isEqualTo(2);
        if (overlay.equals("production")) {
            assertThat(map(podSpec(workloadOf(docs, "auth-edge")).get("affinity"))
                            .toString())
                    .as("production: one edge per node, required")
                    .contains("requiredDuringSchedulingIgnoredDuringExecution");
        }
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void noSecretValueIsInTheManifests(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        for (Map<String, Object> secret : ofKind(docs, "Secret")) {
            assertThat(secret)
                    .as("%s: Secret %s carries a value", overlay, name(secret))
                    .doesNotContainKeys("data", "stringData");
        }
        for (Map<String, Object> workload : ofKind(docs, "Deployment", "StatefulSet", "Job")) {
            for (Map<String, Object> container : containers(workload)) {
                for (Object item : list(container.get("env"))) {
                    Map<String, Object> env = map(item);
                    String envName = String.valueOf(env.get("name"));
                    if (envName.matches("(?i).*(password|secret|token|credential).*")) {
                        assertThat(env)
                                .as("%s %s: %s must come from a Secret", overlay, name(workload), envName)
                                .doesNotContainKey("value")
                                .containsKey("valueFrom");
                    }
                }
            }
        }
        for (Map<String, Object> config : ofKind(docs, "ConfigMap")) {
            assertThat(map(config.get("data")).keySet())
                    .as("%s ConfigMap %s", overlay, name(config))
                    .noneMatch(key -> key.matches("(?i).*(password|secret).*"));
        }
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void containerPortsAreTheContractsPorts(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        Set<String> seen = new LinkedHashSet<>();
        for (Map<String, Object> workload : ofKind(docs, "Deployment", "StatefulSet")) {
            String app = String.valueOf(
                    map(map(workload.get("metadata")).get("labels")).get("app.kubernetes.io/name"));
            List<Integer> expected = CONTAINER_PORTS.get(app);
            if (expected == null) {
                continue;
            }
            seen.add(app);
            List<Integer> ports = new ArrayList<>();
            for (Object port : list(containers(workload).getFirst().get("ports"))) {
                ports.add(((Number) map(port).get("containerPort")).intValue());
            }
            assertThat(ports).as("%s ports of %s", overlay, app).containsAll(expected);
            Object probePort = map(map(containers(workload).getFirst().get("readinessProbe"))
                            .get("httpGet"))
                    .get("port");
            if (expected.size() == 2) {
                assertThat(probePort).as("%s probes the management port", app).isEqualTo("management");
                assertThat(ports.get(1)).as("%s management port", app).isEqualTo(expected.get(1));
            }
        }
        assertThat(seen).contains("auth-edge", "command-service", "query-service", "portal", "kafka");
    }

    @Test
    void composeHasTheClusterComponentsWithTheirPortsAndHealthchecks() throws Exception {
        Map<String, Object> compose = map(yaml().load(Files.readString(DEPLOY.resolve("compose.yaml"))));
        Map<String, Object> services = map(compose.get("services"));
        List<String> clusterNames = clusterComponents();
        assertThat(clusterNames).containsAll(CLUSTER_PORTS.keySet());
        assertThat(services.keySet())
                .as("compose services = cluster.sh names")
                .containsExactlyInAnyOrderElementsOf(clusterNames);
        for (Map.Entry<String, Object> entry : services.entrySet()) {
            Map<String, Object> service = map(entry.getValue());
            assertThat(service).as("%s image", entry.getKey()).containsKey("image");
            assertThat(map(service.get("healthcheck")))
                    .as("%s healthcheck", entry.getKey())
                    .containsKey("test");
            List<Integer> published = new ArrayList<>();
            for (Object port : list(service.get("ports"))) {
                String mapping = String.valueOf(port);
                assertThat(mapping)
                        .as("%s publishes on loopback only", entry.getKey())
                        .startsWith("127.0.0.1:");
                published.add(Integer.parseInt(mapping.split(":")[1]));
            }
            List<Integer> expected = CLUSTER_PORTS.get(entry.getKey());
            if (expected != null) {
                assertThat(published).as("%s host ports", entry.getKey()).containsExactlyElementsOf(expected);
            }
            for (Map.Entry<String, Object> env : map(service.get("environment")).entrySet()) {
                if (env.getKey().matches("(?i).*(password|secret).*")) {
                    assertThat(env.getKey())
                            .as("%s: %s must name a secret file", entry.getKey(), env.getKey())
                            .endsWith("_FILE");
                }
            }
        }
        assertThat(String.valueOf(map(services.get("query-1")).get("image"))).startsWith("keyledger/query-service:");
        assertThat(String.valueOf(map(services.get("edge-1")).get("image"))).startsWith("keyledger/auth-edge:");
        assertThat(String.valueOf(map(services.get("command-1")).get("image")))
                .startsWith("keyledger/command-service:");
        assertThat(String.valueOf(map(services.get("portal")).get("image"))).startsWith("keyledger/portal:");
        assertThat(String.valueOf(map(services.get("postgres")).get("image"))).isEqualTo("postgres:17");
        assertThat(String.valueOf(map(services.get("kafka-1")).get("image"))).startsWith("apache/kafka:");
        assertThat(map(map(map(compose.get("secrets")).get("postgres_password")))
                        .get("file"))
                .as("the password comes from a file, ignored by git")
                .isEqualTo("./compose/secrets/postgres-password");
        assertThat(Files.readString(DEPLOY.resolve("compose/.gitignore"))).contains("/secrets/");
    }

    @Test
    void localClusterPrometheusScrapesEveryComponentButTheDevelopmentStandIns() throws Exception {
        Map<String, Object> config = map(yaml().load(Files.readString(DEPLOY.resolve("local-cluster/prometheus.yml"))));
        Set<String> instances = new LinkedHashSet<>();
        Set<String> jobs = new LinkedHashSet<>();
        for (Object job : list(config.get("scrape_configs"))) {
            jobs.add(String.valueOf(map(job).get("job_name")));
            for (Object target : list(map(job).get("static_configs"))) {
                instances.add(String.valueOf(map(map(target).get("labels")).get("instance")));
            }
        }
        List<String> expected = new ArrayList<>(clusterComponents());
        // The development identity provider and demo upstream have no metrics; the exporters are
        // how postgres, redis and lb are scraped.
        expected.removeIf(name -> name.equals("idp") || name.equals("upstream") || name.startsWith("exporter-"));
        assertThat(instances).containsExactlyInAnyOrderElementsOf(expected);
        // The dashboards and alert rules filter on these job names.
        assertThat(jobs).contains("auth-edge", "command-service", "query-service");
    }

    @Test
    void clusterScriptPrintsTheContractsEnvironment() throws Exception {
        String env = runClusterScript("env");
        for (String name : List.of(
                "KEYLEDGER_LB_URL",
                "KEYLEDGER_COMMAND_URL",
                "KEYLEDGER_QUERY_URL",
                "KEYLEDGER_IDP_URL",
                "KEYLEDGER_PORTAL_URL",
                "KEYLEDGER_KAFKA_BOOTSTRAP",
                "KEYLEDGER_PG_URL")) {
            assertThat(env).contains("export " + name + "=");
        }
        assertThat(env)
                .contains("KEYLEDGER_LB_URL=http://127.0.0.1:18000")
                .contains("KEYLEDGER_COMMAND_URL=http://127.0.0.1:18181")
                .contains("KEYLEDGER_KAFKA_BOOTSTRAP=127.0.0.1:19092,127.0.0.1:19093,127.0.0.1:19094");
        assertThat(Files.readString(DEPLOY.resolve("local-cluster/.gitignore"))).contains("/.data/");
    }

    static Stream<String> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(DEPLOY.resolve("grafana/dashboards"))) {
            return files
                    .map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".json"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void everyDashboardHasJobAndInstanceVariablesAndEveryPrometheusQueryUsesThem(String file) throws Exception {
        Map<String, Object> dashboard = dashboard(file);
        Map<String, Map<String, Object>> variables = new LinkedHashMap<>();
        for (Object variable : list(map(dashboard.get("templating")).get("list"))) {
            variables.put(String.valueOf(map(variable).get("name")), map(variable));
        }
        assertThat(variables).containsKeys("job", "instance");
        for (String name : List.of("job", "instance")) {
            Map<String, Object> variable = variables.get(name);
            assertThat(variable.get("type")).as(name).isEqualTo("query");
            assertThat(map(variable.get("datasource")).get("uid")).as(name).isEqualTo(PROMETHEUS_UID);
            assertThat(variable.get("multi")).as(name).isEqualTo(true);
            assertThat(variable.get("includeAll")).as(name).isEqualTo(true);
        }
        assertThat(String.valueOf(variables.get("instance").get("definition")))
                .as("the instances of the chosen jobs")
                .contains("job=~\"$job\"");

        List<String> expressions = prometheusExpressions(dashboard);
        assertThat(expressions).as(file + " has Prometheus panels").isNotEmpty();
        for (String expr : expressions) {
            assertThat(unfilteredSelectors(expr))
                    .as("selectors of %s without job=~\"$job\" and instance=~\"$instance\"", expr)
                    .isEmpty();
        }
    }

    @Test
    void thePlatformOverviewShowsEveryInstanceWhereASumWouldHideADeadOne() throws Exception {
        List<String> expressions = prometheusExpressions(dashboard("platform-overview.json"));
        assertThat(expressions).as("up of every instance, not summed").anyMatch(expr -> expr.startsWith("up{"));
        assertThat(expressions)
                .as("edge request rate per instance")
                .anyMatch(
                        expr -> expr.contains("by (instance)") && expr.contains("keyledger_edge_verifications_total"));
        assertThat(expressions)
                .as("revocation-to-deny lag per instance")
                .anyMatch(expr -> expr.contains("by (instance, le)")
                        && expr.contains("keyledger_edge_revocation_lag_seconds_bucket"));
        assertThat(expressions)
                .as("API request rate per service instance")
                .anyMatch(expr ->
                        expr.contains("by (job, instance)") && expr.contains("http_server_requests_seconds_count"));
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void dashboardPanelsDoNotOverlap(String file) throws Exception {
        List<int[]> boxes = new ArrayList<>();
        for (Object panel : list(dashboard(file).get("panels"))) {
            Map<String, Object> grid = map(map(panel).get("gridPos"));
            int[] box = {
                ((Number) grid.get("x")).intValue(),
                ((Number) grid.get("y")).intValue(),
                ((Number) grid.get("w")).intValue(),
                ((Number) grid.get("h")).intValue()
            };
            assertThat(box[0] + box[2])
                    .as("%s fits 24 columns", map(panel).get("title"))
                    .isLessThanOrEqualTo(24);
            for (int[] other : boxes) {
                boolean apart = box[0] + box[2] <= other[0]
                        || other[0] + other[2] <= box[0]
                        || box[1] + box[3] <= other[1]
                        || other[1] + other[3] <= box[1];
                assertThat(apart)
                        .as("%s overlaps another panel", map(panel).get("title"))
                        .isTrue();
            }
            boxes.add(box);
        }
    }

    @Test
    void everyAlertNamesARunbookThatExistsAndTheRevocationSloIsOneOfThem() throws Exception {
        Map<String, Object> rules =
                map(yaml().load(Files.readString(DEPLOY.resolve("prometheus/rules/keyledger-alerts.yml"))));
        Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
        for (Object group : list(rules.get("groups"))) {
            for (Object rule : list(map(group).get("rules"))) {
                if (map(rule).containsKey("alert")) {
                    alerts.put(String.valueOf(map(rule).get("alert")), map(rule));
                }
            }
        }
        for (Map.Entry<String, Map<String, Object>> alert : alerts.entrySet()) {
            String runbook =
                    String.valueOf(map(alert.getValue().get("annotations")).get("runbook_url"));
            assertThat(DEPLOY.getParent().resolve(runbook))
                    .as(alert.getKey() + " runbook")
                    .isRegularFile();
        }
        Map<String, Object> slo = alerts.get("KeyledgerRevocationLagHigh");
        assertThat(slo).as("the revocation-to-deny SLO alert").isNotNull();
        assertThat(String.valueOf(slo.get("expr")))
                .contains("histogram_quantile(0.99,")
                .contains("keyledger_edge_revocation_lag_seconds_bucket[5m]")
                .endsWith("> 0.1");
        assertThat(slo.get("for")).isEqualTo("5m");
    }

    // -----------------------------------------------------------------------------------------

    private static final String PROMETHEUS_UID = "keyledger-prometheus";

    /** PromQL words that are not metric names. */
    private static final Set<String> PROMQL_WORDS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset");

    private static final Pattern PROMQL_IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private static Map<String, Object> dashboard(String file) throws IOException {
        // JSON is YAML; the module already reads YAML.
        return map(yaml().load(
                        Files.readString(DEPLOY.resolve("grafana/dashboards").resolve(file))));
    }

    private static List<String> prometheusExpressions(Map<String, Object> dashboard) {
        List<String> expressions = new ArrayList<>();
        for (Object panel : list(dashboard.get("panels"))) {
            for (Object target : list(map(panel).get("targets"))) {
                if (PROMETHEUS_UID.equals(map(map(target).get("datasource")).get("uid"))) {
                    expressions.add(String.valueOf(map(target).get("expr")));
                }
            }
        }
        return expressions;
    }

    /**
     * The selectors of a PromQL expression that lack the dashboard's job and instance filter: a
     * {@code {...}} without both matchers, or a metric name without any braces.
     */
    private static List<String> unfilteredSelectors(String expr) {
        List<String> unfiltered = new ArrayList<>();
        Matcher braces = Pattern.compile("\\{([^}]*)}").matcher(expr);
        while (braces.find()) {
            if (!braces.group(1).contains("job=~\"$job\"") || !braces.group(1).contains("instance=~\"$instance\"")) {
                unfiltered.add(braces.group());
            }
        }
        // What is left outside braces, strings, ranges and grouping labels: functions and metric names.
        String bare = expr.replaceAll("\\{[^}]*}", "{}")
                .replaceAll("\\[[^]]*]", "[]")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "$1 ()");
        Matcher word = PROMQL_IDENTIFIER.matcher(bare);
        while (word.find()) {
            String rest = bare.substring(word.end()).stripLeading();
            boolean function = rest.startsWith("(") || rest.startsWith("by ") || rest.startsWith("without ");
            boolean number = word.start() > 0 && Character.isDigit(bare.charAt(word.start() - 1));
            if (!function && !number && !PROMQL_WORDS.contains(word.group()) && !bare.startsWith("{", word.end())) {
                unfiltered.add(word.group());
            }
        }
        return unfiltered;
    }

    // -----------------------------------------------------------------------------------------

    private static List<String> clusterComponents() throws Exception {
        return runClusterScript("names").lines().filter(line -> !line.isBlank()).toList();
    }

    private static String runClusterScript(String verb) throws Exception {
        Path dir = Files.createTempDirectory("keyledger-cluster-test");
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", DEPLOY.resolve("local-cluster/cluster.sh").toString(), verb)
                .redirectErrorStream(true);
        builder.environment().put("KEYLEDGER_CLUSTER_DIR", dir.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("cluster.sh %s: %s", verb, out).isZero();
        return out;
    }

    private static final Map<String, List<Map<String, Object>>> RENDERED = new LinkedHashMap<>();

    private static synchronized List<Map<String, Object>> render(String overlay) throws Exception {
        List<Map<String, Object>> cached = RENDERED.get(overlay);
        if (cached != null) {
            return cached;
        }
        // $KUBECTL, when set, is the only candidate (KUBECTL=none shows the skip).
        String chosen = System.getenv("KUBECTL");
        Stream<String> candidates = chosen != null
                ? Stream.of(chosen)
                : Stream.concat(
                        Stream.of("/usr/bin/kubectl", "/usr/local/bin/kubectl"),
                        Stream.of(Objects.requireNonNullElse(System.getenv("PATH"), "")
                                        .split(":"))
                                .filter(dir -> !dir.isBlank())
                                .map(dir -> dir + "/kubectl"));
        String kubectl = candidates
                .filter(path -> Files.isExecutable(Path.of(path)))
                .findFirst()
                .orElse(null);
        assumeTrue(
                kubectl != null,
                "kubectl is missing (looked at $KUBECTL, or /usr/bin, /usr/local/bin and the PATH): the Kubernetes"
                        + " manifests are not checked; install kubectl to render them with kubectl kustomize");
        Process process = new ProcessBuilder(
                        kubectl,
                        "kustomize",
                        DEPLOY.resolve("k8s/overlays/" + overlay).toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("kubectl kustomize overlays/%s", overlay)
                .isZero();
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(out)) {
            if (doc != null) {
                docs.add(map(doc));
            }
        }
        RENDERED.put(overlay, docs);
        return docs;
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(options);
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String... kinds) {
        Set<String> wanted = Set.of(kinds);
        return docs.stream().filter(doc -> wanted.contains(doc.get("kind"))).toList();
    }

    private static Map<String, Object> workloadOf(List<Map<String, Object>> docs, String app) {
        return ofKind(docs, "Deployment", "StatefulSet").stream()
                .filter(workload -> app.equals(
                        map(map(workload.get("metadata")).get("labels")).get("app.kubernetes.io/name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no workload " + app));
    }

    private static Map<String, Object> podSpec(Map<String, Object> workload) {
        return map(map(map(workload.get("spec")).get("template")).get("spec"));
    }

    private static List<Map<String, Object>> containers(Map<String, Object> workload) {
        return list(podSpec(workload).get("containers")).stream()
                .map(DeployManifestsTest::map)
                .toList();
    }

    private static String name(Map<String, Object> doc) {
        return doc.get("kind") + " " + map(doc.get("metadata")).get("name");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? new ArrayList<>(l) : List.of();
    }

    private static Path locateDeploy() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("compose.yaml")) && Files.isDirectory(candidate.resolve("k8s"))) {
                return candidate;
            }
            if (Files.isRegularFile(candidate.resolve("deploy/compose.yaml"))) {
                return candidate.resolve("deploy");
            }
        }
        throw new IllegalStateException("deploy/ not found from " + dir);
    }
}
