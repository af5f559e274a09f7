import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Benchmarks of the running local cluster (docs/local-cluster.md, "Benchmarks"), JDK only (with
 * lib/ClusterHttp.java), run by {@code deploy/local-cluster/cluster-bench.sh}:
 *
 * <pre>
 *   ClusterBench revoke-broker-down [KEYS]   kafka-2 killed; revoke answer -> first 401 through lb and on every edge
 *   ClusterBench usage-ingest [REQUESTS]     load through lb, read side on query-1 and query-2; counted/s, exactness
 *   ClusterBench edge-load LABEL [SECONDS]   key checks on edge-1 directly: requests/s, p50/p99 (run per edge setting)
 * </pre>
 *
 * Each result line carries the machine's load average. A phase that measured nothing exits 1.
 */
public class ClusterBench {

    static final String LB = ClusterHttp.env("KEYLEDGER_LB_URL", "http://127.0.0.1:18000");
    static final String COMMANDS = ClusterHttp.env("KEYLEDGER_COMMAND_URL", "http://127.0.0.1:18181");
    static final String IDP = ClusterHttp.env("KEYLEDGER_IDP_URL", "http://127.0.0.1:18090");
    static final List<String> QUERIES =
            List.of(ClusterHttp.env("KEYLEDGER_QUERY_URLS", "http://127.0.0.1:18182,http://127.0.0.1:18183").split(","));
    static final List<String> EDGES = List.of(ClusterHttp.env(
                    "KEYLEDGER_EDGE_URLS", "http://127.0.0.1:18080,http://127.0.0.1:18081,http://127.0.0.1:18082")
            .split(","));
    static final String CLUSTER = ClusterHttp.env("BENCH_CLUSTER_SH", "deploy/local-cluster/cluster.sh");
    static final int CLIENTS = Integer.parseInt(ClusterHttp.env("BENCH_CLIENTS", "8"));
    static final HttpClient HTTP = ClusterHttp.client(Duration.ofSeconds(2));
    static final Duration API_TIMEOUT = Duration.ofSeconds(15);

    public static void main(String[] args) throws Exception {
        String verb = args.length > 0 ? args[0] : "";
        int code = switch (verb) {
            case "revoke-broker-down" -> revokeBrokerDown(args.length > 1 ? Integer.parseInt(args[1]) : 40);
            case "usage-ingest" -> usageIngest(args.length > 1 ? Integer.parseInt(args[1]) : 20_000);
            case "edge-load" -> edgeLoad(args[1], args.length > 2 ? Integer.parseInt(args[2]) : 20);
            default -> {
                System.err.println("usage: ClusterBench revoke-broker-down [KEYS] | usage-ingest [REQUESTS] | edge-load LABEL [SECONDS]");
                yield 2;
            }
        };
        System.exit(code);
    }

    // ---- revoke-to-deny with one broker down ----------------------------------------------------

    static int revokeBrokerDown(int count) throws Exception {
        Org org = newOrg("revoke-broker-down", count);
        waitUntilAccepted(org);
        cluster("kill", "kafka-2");
        // Let the clients move to the new partition leaders first: the steady state with a broker down.
        Thread.sleep(10_000);
        double[] viaLb = new double[count];
        double[] allEdges = new double[count];
        int measured = 0;
        try {
            for (int i = 0; i < count; i++) {
                String[] key = org.keys.get(i);
                ClusterHttp.expect(
                        ClusterHttp.call(HTTP, API_TIMEOUT, "DELETE",
                                COMMANDS + "/api/v1/organizations/" + org.id + "/api-keys/" + key[0], org.owner, null),
                        204);
                long answered = System.nanoTime();
                long deadline = answered + Duration.ofSeconds(30).toNanos();
                long lbDenied = -1;
                long[] edgeDenied = new long[EDGES.size()];
                Arrays.fill(edgeDenied, -1);
                while (System.nanoTime() < deadline && (lbDenied < 0 || Arrays.stream(edgeDenied).anyMatch(d -> d < 0))) {
                    if (lbDenied < 0 && status(LB, key[1]) == 401) {
                        lbDenied = System.nanoTime();
                    }
                    for (int e = 0; e < EDGES.size(); e++) {
                        if (edgeDenied[e] < 0 && status(EDGES.get(e), key[1]) == 401) {
                            edgeDenied[e] = System.nanoTime();
                        }
                    }
                    Thread.sleep(5);
                }
                if (lbDenied < 0 || Arrays.stream(edgeDenied).anyMatch(d -> d < 0)) {
                    System.out.println("FAILED: revocation " + (i + 1) + " not denied everywhere within 30 s");
                    return 1;
                }
                viaLb[measured] = (lbDenied - answered) / 1e6;
                allEdges[measured] = (Arrays.stream(edgeDenied).max().getAsLong() - answered) / 1e6;
                measured++;
            }
        } finally {
            cluster("start", "kafka-2");
        }
        if (measured == 0) {
            System.out.println("FAILED: no revocation measured");
            return 1;
        }
        System.out.println(String.format(Locale.ROOT,
                "revoke-to-deny, kafka-2 down, %d revocations: via lb p50 %.0f ms p99 %.0f ms max %.0f ms;"
                        + " every edge p50 %.0f ms p99 %.0f ms max %.0f ms (load average %s)",
                measured, pct(viaLb, measured, 50), pct(viaLb, measured, 99), pct(viaLb, measured, 100),
                pct(allEdges, measured, 50), pct(allEdges, measured, 99), pct(allEdges, measured, 100),
                loadAverage()));
        return 0;
    }

    // ---- usage ingest with the read side on two instances -------------------------------------

    static int usageIngest(int requests) throws Exception {
        String status = cluster("status");
        for (String name : List.of("query-1", "query-2")) {
            if (!status.lines().anyMatch(l -> l.startsWith(name + " ") && l.endsWith(" up"))) {
                System.out.println("FAILED: " + name + " is not up; the benchmark needs both read-side instances");
                return 1;
            }
        }
        int keys = 20;
        Org org = newOrg("usage-ingest", keys);
        waitUntilAccepted(org);
        Map<String, Long> baseline = usage(org);
        Map<String, LongAdder> ok = new HashMap<>();
        Map<String, LongAdder> cut = new HashMap<>();
        for (String[] key : org.keys) {
            ok.put(key[0], new LongAdder());
            cut.put(key[0], new LongAdder());
        }
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                done.add(pool.submit(() -> {
                    long i;
                    while ((i = next.getAndIncrement()) < requests) {
                        String[] key = org.keys.get((int) (i % keys));
                        int answer = status(LB, key[1]);
                        if (answer == 200) {
                            ok.get(key[0]).increment();
                        } else if (answer < 0 || answer >= 500) {
                            cut.get(key[0]).increment();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        long loadEnd = System.nanoTime();
        long accepted = ok.values().stream().mapToLong(LongAdder::sum).sum();
        if (accepted == 0) {
            System.out.println("FAILED: no request was accepted");
            return 1;
        }
        long deadline = loadEnd + Duration.ofSeconds(300).toNanos();
        while (true) {
            Map<String, Long> counted = usage(org);
            boolean covered = org.keys.stream()
                    .allMatch(k -> counted.getOrDefault(k[0], 0L) - baseline.getOrDefault(k[0], 0L) >= ok.get(k[0]).sum());
            if (covered || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(200);
        }
        long countedAt = System.nanoTime();
        Thread.sleep(3000); // nothing more may arrive: a count above the 200s would be a double count
        Map<String, Long> settled = usage(org);
        long exact = 0;
        long total = 0;
        List<String> off = new ArrayList<>();
        for (String[] key : org.keys) {
            long used = settled.getOrDefault(key[0], 0L) - baseline.getOrDefault(key[0], 0L);
            long low = ok.get(key[0]).sum();
            long high = low + cut.get(key[0]).sum();
            total += used;
            if (used >= low && used <= high) {
                exact++;
            } else {
                off.add(key[0] + " counted " + used + " of [" + low + ", " + high + "]");
            }
        }
        double loadSeconds = (loadEnd - start) / 1e9;
        double toCounted = (countedAt - start) / 1e9;
        System.out.println(String.format(Locale.ROOT,
                "usage ingest, read side on query-1 and query-2: %d requests through lb in %.1f s (%.0f/s), %d accepted,"
                        + " all counted %.1f s after the first request (%.0f counted/s end to end, %.1f s after the last),"
                        + " %d of %d keys exact, %d counted in all (load average %s)",
                requests, loadSeconds, requests / loadSeconds, accepted, toCounted, total / toCounted,
                (countedAt - loadEnd) / 1e9, exact, keys, total, loadAverage()));
        if (!off.isEmpty()) {
            System.out.println("FAILED: usage not exact: " + off);
            return 1;
        }
        return 0;
    }

    // ---- edge cost ------------------------------------------------------------------------------

    static int edgeLoad(String label, int seconds) throws Exception {
        Org org = newOrg("edge-load " + label, 8);
        waitUntilAccepted(org);
        String edge = EDGES.get(0);
        long stop = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<long[]> perClient = new ArrayList<>();
        LongAdder failures = new LongAdder();
        try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<long[]>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    long[] latencies = new long[1 << 20];
                    int n = 0;
                    long i = client;
                    while (System.nanoTime() < stop && n < latencies.length) {
                        String[] key = org.keys.get((int) (i++ % org.keys.size()));
                        long t0 = System.nanoTime();
                        int answer = status(edge, key[1]);
                        if (answer != 200) {
                            failures.increment();
                            continue;
                        }
                        latencies[n++] = System.nanoTime() - t0;
                    }
                    return Arrays.copyOf(latencies, n);
                }));
            }
            for (Future<long[]> f : done) {
                perClient.add(f.get());
            }
        }
        long[] all = perClient.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        if (all.length == 0) {
            System.out.println("FAILED: edge-load " + label + ": no request answered 200");
            return 1;
        }
        double[] ms = Arrays.stream(all).mapToDouble(n -> n / 1e6).toArray();
        System.out.println(String.format(Locale.ROOT,
                "edge-load %s: %d key checks on %s in %d s with %d clients: %.0f/s, p50 %.2f ms p99 %.2f ms, %d not 200"
                        + " (load average %s)",
                label, all.length, edge, seconds, CLIENTS, all.length / (double) seconds, pct(ms, ms.length, 50),
                pct(ms, ms.length, 99), failures.sum(), loadAverage()));
        return 0;
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** An organization with keys: [id, plaintext] each. */
    record Org(String id, String owner, List<String[]> keys) {}

    static Org newOrg(String name, int keys) throws Exception {
        String admin = ClusterHttp.token(HTTP, IDP, "{\"subject\":\"bench\",\"roles\":[\"platform_admin\"]}");
        String id = ClusterHttp.field(ClusterHttp.expect(ClusterHttp.call(HTTP, API_TIMEOUT, "POST",
                        COMMANDS + "/api/v1/organizations", admin,
                        "{\"name\":\"Bench " + name + " " + Instant.now() + "\",\"plan\":\"enterprise\",\"limits\":"
                                + "{\"requests_per_minute\":100000000,\"requests_per_day\":1000000000}}"), 201),
                "id");
        String owner = ClusterHttp.token(HTTP, IDP,
                "{\"subject\":\"bench-owner\",\"organization_id\":\"" + id + "\",\"roles\":[\"org_admin\"]}");
        List<String[]> created = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            String body = ClusterHttp.expect(ClusterHttp.call(HTTP, API_TIMEOUT, "POST",
                    COMMANDS + "/api/v1/organizations/" + id + "/api-keys", owner, "{\"name\":\"bench " + i + "\"}"), 201);
            created.add(new String[] {ClusterHttp.field(body, "id"), ClusterHttp.field(body, "key")});
        }
        return new Org(id, owner, created);
    }

    static void waitUntilAccepted(Org org) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        for (String[] key : org.keys) {
            for (String edge : EDGES) {
                while (status(edge, key[1]) != 200) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(edge + " never accepted " + key[0]);
                    }
                    Thread.sleep(20);
                }
            }
        }
    }

    /** The key check's status on an edge (or lb), -1 when there was no answer. */
    static int status(String base, String key) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/_keyledger/auth"))
                                    .timeout(Duration.ofSeconds(5))
                                    .header("X-API-Key", key)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Long> usage(Org org) throws Exception {
        for (String query : QUERIES) {
            HttpResponse<String> answer = ClusterHttp.call(HTTP, API_TIMEOUT, "GET",
                    query + "/api/v1/organizations/" + org.id + "/api-keys?limit=1000", org.owner, null);
            if (answer.statusCode() != 200) {
                continue;
            }
            Map<String, Long> usage = new HashMap<>();
            Map<String, Object> body = (Map<String, Object>) ClusterHttp.Json.parse(answer.body());
            for (Object view : (List<Object>) body.get("data")) {
                Map<String, Object> key = (Map<String, Object>) view;
                Object count = key.get("usage_count");
                usage.put((String) key.get("id"), count == null ? 0L : ((Number) count).longValue());
            }
            return usage;
        }
        throw new IllegalStateException("no read-API instance answered");
    }

    static String cluster(String... verb) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(CLUSTER);
        command.addAll(Arrays.asList(verb));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (!verb[0].equals("status")) {
            System.err.println("cluster.sh " + String.join(" ", verb) + " -> " + exit);
            if (exit != 0) {
                throw new IllegalStateException("cluster.sh " + String.join(" ", verb) + " failed: " + output);
            }
        }
        return output;
    }

    /** The value at percentile p of the first n values (sorted here), nearest rank. */
    static double pct(double[] values, int n, int p) {
        double[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * n);
        return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
