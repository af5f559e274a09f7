import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fault suite for the local cluster (deploy/local-cluster): steady load through the load balancer
 * with known keys, a revocation every few seconds probed on every edge, and one component after
 * another killed with SIGKILL and started again; then the invariants. JDK only (java.net.http for
 * HTTP, lib/ClusterHttp.java for the API calls and JSON; psql and a topic dump command for the
 * stored-data checks), compiled and run by {@code deploy/local-cluster/chaos.sh}, which sets the
 * environment below.
 *
 * <p>Invariants (exit 1 when any fails): per key, usage_count of the read API is at least the
 * number of 200s this program received and at most that plus the requests cut in flight; no
 * request for a key is accepted later than the bound after its revoke answer (1 s, or the
 * fail-over bound of 15 s while a query-service or a broker is down or restarting); a revocation
 * whose DELETE was sent but whose answer was cut (the command-service killed while it waited for
 * the relay, decision record 0017) has no answer to measure from: it is retried until a 204
 * confirms it, reported as cut in flight, and held only to being refused on every edge; every event
 * of the event store is at least once on keyledger.key-events and exactly once in the
 * projections; every component recovers.
 */
public class Chaos {

    // ---- settings -------------------------------------------------------------------------------

    static final String LB = ClusterHttp.env("KEYLEDGER_LB_URL", "http://127.0.0.1:18000");
    static final List<String> EDGES =
            List.of(ClusterHttp.env("CHAOS_EDGES", "http://127.0.0.1:18080,http://127.0.0.1:18081,http://127.0.0.1:18082")
                    .split(","));
    static final String COMMANDS = ClusterHttp.env("KEYLEDGER_COMMAND_URL", "http://127.0.0.1:18181");
    static final List<String> QUERIES =
            List.of(ClusterHttp.env("CHAOS_QUERIES", "http://127.0.0.1:18182,http://127.0.0.1:18183").split(","));
    static final String IDP = ClusterHttp.env("KEYLEDGER_IDP_URL", "http://127.0.0.1:18090");
    static final String CLUSTER = ClusterHttp.env("CHAOS_CLUSTER_SH", "deploy/local-cluster/cluster.sh");
    static final int KEYS = Integer.parseInt(ClusterHttp.env("CHAOS_KEYS", "12"));
    static final int CLIENTS = Integer.parseInt(ClusterHttp.env("CHAOS_CLIENTS", "8"));
    static final int RATE = Integer.parseInt(ClusterHttp.env("CHAOS_RATE", "150"));
    static final long REVOKE_EVERY_MS = Long.parseLong(ClusterHttp.env("CHAOS_REVOKE_EVERY_MS", "3000"));
    static final int BASELINE_S = Integer.parseInt(ClusterHttp.env("CHAOS_BASELINE_S", "15"));
    static final int OUTAGE_S = Integer.parseInt(ClusterHttp.env("CHAOS_OUTAGE_S", "20"));
    static final int SETTLE_S = Integer.parseInt(ClusterHttp.env("CHAOS_SETTLE_S", "10"));
    static final int RECOVERY_TIMEOUT_S = Integer.parseInt(ClusterHttp.env("CHAOS_RECOVERY_TIMEOUT_S", "600"));
    static final int USAGE_WAIT_S = Integer.parseInt(ClusterHttp.env("CHAOS_USAGE_WAIT_S", "240"));
    static final List<String> FAULTS =
            List.of(ClusterHttp.env("CHAOS_FAULTS", "edge-2,query-1,command-1,kafka-2,postgres,redis").split(","));
    static final String LOAD_PATH = ClusterHttp.env("CHAOS_LOAD_PATH", "/api/v1/chat/message");
    static final long BOUND_MS = Long.parseLong(ClusterHttp.env("CHAOS_DENY_BOUND_MS", "1000"));
    static final long FAILOVER_BOUND_MS = Long.parseLong(ClusterHttp.env("CHAOS_FAILOVER_BOUND_MS", "15000"));
    static final String PG_HOST = ClusterHttp.env("CHAOS_PG_HOST", "127.0.0.1");
    static final String PG_PORT = ClusterHttp.env("CHAOS_PG_PORT", "25432");
    static final String PG_USER = ClusterHttp.env("CHAOS_PG_USER", "postgres");
    static final String COMMAND_DB = ClusterHttp.env("CHAOS_COMMAND_DB", "keyledger_command");
    static final String QUERY_DB = ClusterHttp.env("CHAOS_QUERY_DB", "keyledger_query");
    static final String TOPIC_DUMP = ClusterHttp.env("CHAOS_TOPIC_DUMP", "");
    static final String RESULTS = ClusterHttp.env("CHAOS_RESULTS", "");

    static final HttpClient LOAD_HTTP = ClusterHttp.client(Duration.ofSeconds(2));
    static final HttpClient PROBE_HTTP = ClusterHttp.client(Duration.ofSeconds(1));
    static final HttpClient API_HTTP = ClusterHttp.client(Duration.ofSeconds(2));
    static final long T0 = System.nanoTime();

    // ---- state ----------------------------------------------------------------------------------

    /** One key under test: its own counts of what the platform answered for it. */
    static final class Key {
        final String id;
        final String secret;
        final boolean steady;
        final LongAdder ok = new LongAdder();
        final LongAdder cut = new LongAdder();
        final LongAdder refused = new LongAdder();
        volatile long revokeSentNanos = -1;
        volatile Revocation revocation;

        Key(String id, String secret, boolean steady) {
            this.id = id;
            this.secret = secret;
            this.steady = steady;
        }

        boolean revokedOrRevoking() {
            return revokeSentNanos >= 0;
        }
    }

    /** A stretch of the run: the baseline, or one fault's down, restarting or after part. */
    static final class Phase {
        final String fault;
        final String part;
        final long startNanos = System.nanoTime();
        volatile long endNanos = -1;
        final LongAdder sent = new LongAdder();
        final LongAdder ok = new LongAdder();
        final LongAdder validSent = new LongAdder();
        final LongAdder validOk = new LongAdder();
        final LongAdder validRefused = new LongAdder();
        final LongAdder unavailable = new LongAdder();
        final LongAdder otherStatus = new LongAdder();
        final LongAdder cut = new LongAdder();
        /** Connection refused: the request was never sent, so no edge can have counted it. */
        final LongAdder notConnected = new LongAdder();
        final LongAdder revokeFailures = new LongAdder();
        volatile double backendErrorsAtStart = Double.NaN;
        volatile double backendErrorsAtEnd = Double.NaN;
        /** The machine's 1, 5 and 15 minute load averages when the phase began. */
        volatile String loadAverage = "";

        Phase(String fault, String part) {
            this.fault = fault;
            this.part = part;
        }

        boolean onRevocationPath() {
            return (fault.startsWith("query") || fault.startsWith("kafka"))
                    && (part.equals("down") || part.equals("restarting"));
        }
    }

    /** One revocation: when its answer came, and how long every edge kept accepting the key. */
    static final class Revocation {
        final Key key;
        final Phase phase;
        final long answerNanos;
        /** The deny bound in ms; -1 for a revocation cut in flight (no answer to measure from). */
        final long boundMs;
        final int failedAttempts;
        /** DELETEs of this revocation that were sent but lost their answer (no answer, or a 5xx). */
        final int cutAttempts;
        /** The answer's X-Keyledger-Relay header: published, pending, or none. */
        final String relay;
        final long[] firstDenyNanos = new long[EDGES.size()];
        /** An edge that did not answer at some probe (down or restarting): its delay is not propagation. */
        final boolean[] unreachable = new boolean[EDGES.size()];
        final AtomicLong latestAcceptAfterAnswer = new AtomicLong(Long.MIN_VALUE);
        final CopyOnWriteArrayList<String> lateAccepts = new CopyOnWriteArrayList<>();

        Revocation(Key key, Phase phase, long answerNanos, int failedAttempts, int cutAttempts, String relay) {
            this.key = key;
            this.phase = phase;
            this.answerNanos = answerNanos;
            this.cutAttempts = cutAttempts;
            this.relay = relay;
            this.boundMs = cutAttempts > 0 ? -1 : phase.onRevocationPath() ? FAILOVER_BOUND_MS : BOUND_MS;
            this.failedAttempts = failedAttempts;
            Arrays.fill(firstDenyNanos, -1);
        }

        /** Whether its answer was cut in flight at least once before a retry confirmed it. */
        boolean cutInFlight() {
            return cutAttempts > 0;
        }

        /** The largest (request start - revoke answer) of a 200 for this key, in ms, or -1 for none. */
        double worstAcceptMs() {
            long late = latestAcceptAfterAnswer.get();
            return late == Long.MIN_VALUE ? -1 : late / 1e6;
        }

        /** Whether every edge answered 401 in the end. */
        boolean deniedEverywhere() {
            return Arrays.stream(firstDenyNanos).allMatch(deny -> deny >= 0);
        }

        /**
         * The longest time from the answer to the first 401 over the edges that answered every
         * probe, in ms (NaN if none did): how long the revocation took to reach a running edge.
         */
        double worstDenyMs() {
            double worst = Double.NaN;
            for (int e = 0; e < firstDenyNanos.length; e++) {
                if (firstDenyNanos[e] >= 0 && !unreachable[e]) {
                    double delay = (firstDenyNanos[e] - answerNanos) / 1e6;
                    worst = Double.isNaN(worst) ? delay : Math.max(worst, delay);
                }
            }
            return worst;
        }
    }

    static final List<Key> steadyKeys = new ArrayList<>();
    static final List<Key> victims = new ArrayList<>();
    static final List<Revocation> revocations = new CopyOnWriteArrayList<>();
    static final List<Phase> phases = new CopyOnWriteArrayList<>();
    static final Map<String, long[]> recovery = new LinkedHashMap<>();
    static final List<String> failures = new CopyOnWriteArrayList<>();
    /** Requests of the set-up (every key on every edge until accepted): counted, not reported. */
    static final Phase SETUP = new Phase("setup", "steady");
    static volatile Phase current;
    static volatile Key[] rotation = new Key[0];
    static volatile boolean loadRunning = true;
    static volatile boolean revoking = true;
    static String org;
    static String owner;
    static String admin;

    // ---- main -----------------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        log("settings: lb=" + LB + " edges=" + EDGES + " keys=" + KEYS + " clients=" + CLIENTS + " rate=" + RATE
                + "/s revoke every " + REVOKE_EVERY_MS + " ms, outage " + OUTAGE_S + " s, faults " + FAULTS);
        setUp();
        current = newPhase("baseline", "steady");
        ExecutorService load = Executors.newFixedThreadPool(CLIENTS);
        for (int i = 0; i < CLIENTS; i++) {
            int worker = i;
            load.submit(() -> loadLoop(worker));
        }
        ExecutorService probes = Executors.newCachedThreadPool();
        Thread revoker = new Thread(() -> revokeLoop(probes), "revoker");
        revoker.start();

        Thread.sleep(BASELINE_S * 1000L);
        for (String fault : FAULTS) {
            runFault(fault);
        }
        current = newPhase("end", "steady");
        revoking = false;
        revoker.join(Duration.ofSeconds(200));
        probes.shutdown();
        probes.awaitTermination(200, TimeUnit.SECONDS);
        Thread.sleep(2000);
        loadRunning = false;
        load.shutdown();
        load.awaitTermination(30, TimeUnit.SECONDS);
        current.endNanos = System.nanoTime();
        log("load stopped");

        Map<String, Long> usage = settledUsage();
        String report = report(usage, checkEvents());
        System.out.println(report);
        if (!RESULTS.isEmpty()) {
            Files.writeString(Path.of(RESULTS), report);
        }
        if (!failures.isEmpty()) {
            System.out.println("FAILED: " + failures.size() + " invariant(s)");
            failures.forEach(f -> System.out.println("  - " + f));
            System.exit(1);
        }
        System.out.println("PASSED: every invariant holds");
        System.exit(0);
    }

    static Phase newPhase(String fault, String part) {
        Phase previous = current;
        Phase phase = new Phase(fault, part);
        phase.backendErrorsAtStart = edgeMetricSum("keyledger_edge_ratelimit_backend_errors_total");
        if (previous != null) {
            previous.endNanos = phase.startNanos;
            previous.backendErrorsAtEnd = phase.backendErrorsAtStart;
        }
        phase.loadAverage = loadAverage();
        phases.add(phase);
        log("phase " + fault + " " + part + " (load average " + phase.loadAverage + ")");
        return phase;
    }

    static void runFault(String fault) throws Exception {
        int outage = Integer.parseInt(ClusterHttp.env("CHAOS_OUTAGE_S_" + fault.replace('-', '_').toUpperCase(Locale.ROOT),
                Integer.toString(OUTAGE_S)));
        current = newPhase(fault, "down");
        cluster("kill", fault);
        Thread.sleep(outage * 1000L);
        current = newPhase(fault, "restarting");
        long start = System.nanoTime();
        cluster("start", fault);
        long deadline = start + Duration.ofSeconds(RECOVERY_TIMEOUT_S).toNanos();
        long up = -1;
        while (System.nanoTime() < deadline) {
            if (componentUp(fault)) {
                up = System.nanoTime();
                break;
            }
            Thread.sleep(250);
        }
        long endToEnd = -1;
        while (up >= 0 && System.nanoTime() < deadline) {
            if (endToEndWorks()) {
                endToEnd = System.nanoTime();
                break;
            }
            Thread.sleep(250);
        }
        if (up < 0 || endToEnd < 0) {
            failures.add(fault + " did not recover within " + RECOVERY_TIMEOUT_S + " s (status up: " + (up >= 0) + ")");
        }
        recovery.put(fault, new long[] {up < 0 ? -1 : up - start, endToEnd < 0 ? -1 : endToEnd - start, outage});
        log(fault + " recovered: up after " + ms(up < 0 ? -1 : up - start) + ", end to end after "
                + ms(endToEnd < 0 ? -1 : endToEnd - start));
        current = newPhase(fault, "after");
        Thread.sleep(SETTLE_S * 1000L);
    }

    // ---- set-up ---------------------------------------------------------------------------------

    static void setUp() throws Exception {
        admin = token("{\"subject\":\"chaos\",\"roles\":[\"platform_admin\"]}");
        org = ClusterHttp.field(
                setUpCall(
                        COMMANDS + "/api/v1/organizations",
                        admin,
                        "{\"name\":\"Chaos " + Instant.now() + "\",\"plan\":\"enterprise\",\"limits\":"
                                + "{\"requests_per_minute\":100000000,\"requests_per_day\":1000000000}}"),
                "id");
        owner = token("{\"subject\":\"chaos-owner\",\"organization_id\":\"" + org + "\",\"roles\":[\"org_admin\"]}");
        int victimCount = Integer.parseInt(ClusterHttp.env("CHAOS_VICTIMS", Long.toString(estimatedRevocations())));
        for (int i = 0; i < KEYS + victimCount; i++) {
            String body = setUpCall(
                    COMMANDS + "/api/v1/organizations/" + org + "/api-keys",
                    owner,
                    "{\"name\":\"chaos " + (i < KEYS ? "steady " + i : "victim " + (i - KEYS)) + "\"}");
            Key key = new Key(ClusterHttp.field(body, "id"), ClusterHttp.field(body, "key"), i < KEYS);
            (key.steady ? steadyKeys : victims).add(key);
        }
        log("organization " + org + ": " + steadyKeys.size() + " steady keys, " + victims.size() + " to revoke");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        List<Key> all = new ArrayList<>(steadyKeys);
        all.addAll(victims);
        for (Key key : all) {
            for (String edge : EDGES) {
                while (true) {
                    long start = System.nanoTime();
                    HttpResponse<String> answer = probe(edge, key);
                    // These count like any other request: the edges meter them too.
                    record(key, SETUP, start, answer, "setup " + edge);
                    if (answer != null && answer.statusCode() == 200) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("edge " + edge + " never accepted " + key.id);
                    }
                    Thread.sleep(20);
                }
            }
        }
        log("every edge accepts every key");
        rotation = steadyKeys.toArray(new Key[0]);
    }

    /**
     * A set-up POST that must answer 201, tried again when it times out: the first calls of a
     * freshly started service on a loaded machine can take longer than the client's timeout. A
     * create that timed out but happened leaves an unused organization or key, which is harmless.
     */
    static String setUpCall(String url, String bearer, String body) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return ClusterHttp.expect(api("POST", url, bearer, body), 201);
            } catch (IOException e) {
                if (attempt >= 6) {
                    throw e;
                }
                log("set-up call to " + url + " failed (" + e + "); again");
                Thread.sleep(2000);
            }
        }
    }

    static long estimatedRevocations() {
        // A restart may take minutes on a loaded machine (5 to 6 min per service at load 40 to 65):
        // a run that runs out of keys to revoke measures no revocation in its later faults.
        long seconds = BASELINE_S + FAULTS.size() * (OUTAGE_S + SETTLE_S + 360L) + 60;
        return Math.max(8, seconds * 1000 / REVOKE_EVERY_MS);
    }

    // ---- load -----------------------------------------------------------------------------------

    static void loadLoop(int worker) {
        long intervalNanos = RATE <= 0 ? 0 : 1_000_000_000L * CLIENTS / RATE;
        long next = System.nanoTime();
        long i = worker;
        while (loadRunning) {
            Key[] keys = rotation;
            Key key = keys[(int) (i++ % keys.length)];
            Phase phase = current;
            long start = System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(URI.create(LB + LOAD_PATH))
                    .timeout(Duration.ofSeconds(5))
                    .header("X-API-Key", key.secret)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"chaos\"}"))
                    .build();
            HttpResponse<String> answer;
            try {
                answer = LOAD_HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.net.ConnectException e) {
                phase.sent.increment();
                phase.notConnected.increment();
                continue;
            } catch (IOException e) {
                answer = null;
            } catch (InterruptedException e) {
                return;
            }
            record(key, phase, start, answer, "lb");
            if (intervalNanos > 0) {
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    sleepNanos(wait);
                } else if (wait < -1_000_000_000L) {
                    next = System.nanoTime();
                }
            }
        }
    }

    /**
     * Counts one answer (or a request cut in flight: no answer, or a 5xx that is not the edge's
     * own fail-closed 503, which may or may not have been counted by an edge that died).
     */
    static void record(Key key, Phase phase, long start, HttpResponse<String> answer, String where) {
        boolean valid = !key.revokedOrRevoking();
        phase.sent.increment();
        if (valid) {
            phase.validSent.increment();
        }
        if (answer == null) {
            if (REFUSED.get()) {
                phase.notConnected.increment();
            } else {
                key.cut.increment();
                phase.cut.increment();
            }
            return;
        }
        int status = answer.statusCode();
        if (status == 200) {
            key.ok.increment();
            phase.ok.increment();
            if (valid) {
                phase.validOk.increment();
            }
            Revocation revocation = key.revocation;
            if (revocation != null && start > revocation.answerNanos) {
                long late = start - revocation.answerNanos;
                revocation.latestAcceptAfterAnswer.accumulateAndGet(late, Math::max);
                if (revocation.boundMs >= 0 && late > revocation.boundMs * 1_000_000L) {
                    revocation.lateAccepts.add(where + " +" + ms(late));
                }
            }
        } else if (status == 401 || status == 403 || status == 429) {
            key.refused.increment();
            if (valid) {
                phase.validRefused.increment();
            }
        } else if (status == 503 && answer.body().contains("SERVICE_UNAVAILABLE")) {
            phase.unavailable.increment();
        } else {
            phase.otherStatus.increment();
            if (status >= 500) {
                key.cut.increment();
                phase.cut.increment();
            }
        }
    }

    // ---- revocations ----------------------------------------------------------------------------

    static void revokeLoop(ExecutorService probes) {
        try {
            for (int v = 0; v < victims.size() && revoking; v++) {
                Key victim = victims.get(v);
                addToRotation(victim);
                Thread.sleep(REVOKE_EVERY_MS);
                if (!revoking) {
                    removeFromRotation(victim);
                    break;
                }
                Revocation revocation = revoke(victim);
                if (revocation == null) {
                    continue;
                }
                revocations.add(revocation);
                for (int e = 0; e < EDGES.size(); e++) {
                    int edge = e;
                    probes.submit(() -> probeUntilDenied(revocation, edge));
                }
                probes.submit(() -> {
                    sleepNanos(Duration.ofSeconds(10).toNanos());
                    removeFromRotation(victim);
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * DELETE until it answers 204, retrying while the write side is down; null if it never did. An
     * attempt refused at connect was never sent; one that was sent and lost its answer (reset, EOF,
     * timeout, or a 5xx) is cut in flight: it may have been stored, so the revocation counts as cut
     * and is not measured from the later confirming 204.
     */
    static Revocation revoke(Key key) throws InterruptedException {
        key.revokeSentNanos = System.nanoTime();
        long deadline = key.revokeSentNanos + Duration.ofSeconds(RECOVERY_TIMEOUT_S).toNanos();
        int failed = 0;
        int cut = 0;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer =
                        api("DELETE", COMMANDS + "/api/v1/organizations/" + org + "/api-keys/" + key.id, owner, null);
                long answered = System.nanoTime();
                if (answer.statusCode() == 204) {
                    String relay = answer.headers().firstValue("X-Keyledger-Relay").orElse("none");
                    Revocation revocation = new Revocation(key, current, answered, failed, cut, relay);
                    // Wall-clock time too: compared with the record timestamps on the topics.
                    log("revoked " + key.id + " (" + current.fault + " " + current.part + ") answered at "
                            + Instant.now() + " after " + failed + " failed attempts (" + cut + " cut in flight),"
                            + " relay " + relay);
                    key.revocation = revocation;
                    return revocation;
                }
                if (answer.statusCode() >= 500) {
                    cut++;
                }
            } catch (java.net.ConnectException e) {
                // the command-service is down: nothing was sent; try again
            } catch (IOException e) {
                // sent, but the answer was lost (the command-service died while handling it): try again
                cut++;
                log("revocation of " + key.id + " cut in flight (" + e.getClass().getSimpleName() + ")");
            }
            failed++;
            current.revokeFailures.increment();
            Thread.sleep(500);
        }
        failures.add("revocation of " + key.id + " never answered 204");
        return null;
    }

    static void probeUntilDenied(Revocation revocation, int edge) {
        // Long enough for an edge that is down to be started again and answer.
        long deadline = revocation.answerNanos + Duration.ofSeconds(2L * RECOVERY_TIMEOUT_S).toNanos();
        while (System.nanoTime() < deadline) {
            Phase phase = current;
            long start = System.nanoTime();
            HttpResponse<String> answer = probe(EDGES.get(edge), revocation.key);
            record(revocation.key, phase, start, answer, "edge " + EDGES.get(edge));
            if (answer == null) {
                revocation.unreachable[edge] = true;
            } else if (answer.statusCode() == 401) {
                revocation.firstDenyNanos[edge] = System.nanoTime();
                return;
            }
            sleepNanos(answer == null ? 100_000_000L : 10_000_000L);
        }
    }

    static synchronized void addToRotation(Key key) {
        List<Key> keys = new ArrayList<>(Arrays.asList(rotation));
        keys.add(key);
        rotation = keys.toArray(new Key[0]);
    }

    static synchronized void removeFromRotation(Key key) {
        List<Key> keys = new ArrayList<>(Arrays.asList(rotation));
        keys.remove(key);
        rotation = keys.toArray(new Key[0]);
    }

    /** Marks an answer that never came because the connection was refused (nothing was sent). */
    static final ThreadLocal<Boolean> REFUSED = ThreadLocal.withInitial(() -> false);

    static HttpResponse<String> probe(String edge, Key key) {
        REFUSED.set(false);
        try {
            return PROBE_HTTP.send(
                    HttpRequest.newBuilder(URI.create(edge + "/_keyledger/auth"))
                            .timeout(Duration.ofSeconds(3))
                            .header("X-API-Key", key.secret)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            REFUSED.set(true);
            return null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    // ---- recovery -------------------------------------------------------------------------------

    static boolean componentUp(String name) {
        try {
            for (String line : cluster("status").split("\n")) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length >= 4 && parts[0].equals(name)) {
                    return parts[parts.length - 1].equals("up");
                }
            }
        } catch (Exception e) {
            return false;
        }
        return false;
    }

    /**
     * The platform works end to end: every edge and the load balancer accept a steady key, the
     * management API takes a write, and every read-API instance answers.
     */
    static boolean endToEndWorks() {
        Key key = steadyKeys.get(0);
        for (String edge : EDGES) {
            Phase phase = current;
            long start = System.nanoTime();
            HttpResponse<String> answer = probe(edge, key);
            record(key, phase, start, answer, "recovery " + edge);
            if (answer == null || answer.statusCode() != 200) {
                return false;
            }
        }
        try {
            if (api("PATCH", COMMANDS + "/api/v1/organizations/" + org + "/api-keys/" + steadyKeys.get(1).id, owner,
                                    "{\"name\":\"chaos steady 1 " + System.currentTimeMillis() + "\"}")
                            .statusCode()
                    != 200) {
                return false;
            }
            for (String query : QUERIES) {
                if (api("GET", query + "/api/v1/organizations/" + org + "/api-keys/" + key.id, owner, null)
                                .statusCode()
                        != 200) {
                    return false;
                }
            }
        } catch (IOException | InterruptedException e) {
            return false;
        }
        return true;
    }

    // ---- checks ---------------------------------------------------------------------------------

    /** Usage per key from the read API, once it has stopped moving and covers every 200. */
    static Map<String, Long> settledUsage() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(USAGE_WAIT_S).toNanos();
        Map<String, Long> previous = null;
        while (true) {
            Map<String, Long> usage = readUsage();
            boolean covered = usage != null && allKeys().stream().allMatch(k -> usage.getOrDefault(k.id, 0L) >= k.ok.sum());
            if (usage != null && covered && usage.equals(previous)) {
                log("usage settled");
                return usage;
            }
            if (System.nanoTime() > deadline) {
                log("usage did not settle within " + USAGE_WAIT_S + " s; checking the last reading");
                return usage == null ? Map.of() : usage;
            }
            previous = usage;
            Thread.sleep(5000);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Long> readUsage() {
        for (String query : QUERIES) {
            try {
                Map<String, Long> usage = new HashMap<>();
                String cursor = null;
                do {
                    HttpResponse<String> answer = api("GET", query + "/api/v1/organizations/" + org
                            + "/api-keys?limit=1000" + (cursor == null ? "" : "&cursor="
                                    + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8)), owner, null);
                    if (answer.statusCode() != 200) {
                        throw new IOException("read API answered " + answer.statusCode());
                    }
                    Map<String, Object> body = (Map<String, Object>) ClusterHttp.Json.parse(answer.body());
                    for (Object view : (List<Object>) body.get("data")) {
                        Map<String, Object> key = (Map<String, Object>) view;
                        Object count = key.get("usage_count");
                        usage.put((String) key.get("id"), count == null ? 0L : ((Number) count).longValue());
                    }
                    cursor = (String) body.get("next_cursor");
                } while (cursor != null);
                return usage;
            } catch (Exception e) {
                // try the next instance
            }
        }
        return null;
    }

    static List<Key> allKeys() {
        List<Key> all = new ArrayList<>(steadyKeys);
        all.addAll(victims);
        return all;
    }

    /** Event store vs keyledger.key-events vs the projections; returns the lines of the report. */
    static List<String> checkEvents() {
        List<String> lines = new ArrayList<>();
        try {
            Map<String, String> store = new LinkedHashMap<>();
            for (String row : psql(COMMAND_DB,
                    "SELECT eventidentifier, aggregateidentifier || '#' || sequencenumber FROM domainevententry ORDER BY globalindex")) {
                String[] cells = row.split("\\|", 2);
                store.put(cells[0], cells[1]);
            }
            Map<String, Integer> onTopic = new HashMap<>();
            if (TOPIC_DUMP.isBlank()) {
                failures.add("no CHAOS_TOPIC_DUMP command: keyledger.key-events not checked");
            } else {
                Pattern eventId = Pattern.compile("\"event_id\"\\s*:\\s*\"([^\"]+)\"");
                for (String record : shell(TOPIC_DUMP)) {
                    Matcher m = eventId.matcher(record);
                    if (m.find()) {
                        onTopic.merge(m.group(1), 1, Integer::sum);
                    }
                }
            }
            Map<String, Integer> projected = new HashMap<>();
            for (String row : psql(QUERY_DB, "SELECT event_id, count(*) FROM audit_log GROUP BY event_id")) {
                String[] cells = row.split("\\|");
                projected.put(cells[0], Integer.parseInt(cells[1]));
            }
            // The entity projections: each aggregate's last applied sequence is the store's last.
            Map<String, String> lastInStore = new HashMap<>();
            for (String row : psql(COMMAND_DB,
                    "SELECT aggregateidentifier, max(sequencenumber) FROM domainevententry GROUP BY aggregateidentifier")) {
                String[] cells = row.split("\\|");
                lastInStore.put(cells[0], cells[1]);
            }
            Map<String, String> lastProjected = new HashMap<>();
            for (String row : psql(QUERY_DB,
                    "SELECT id, last_sequence FROM organizations UNION ALL SELECT id, last_sequence FROM databases"
                            + " UNION ALL SELECT id, last_sequence FROM api_keys")) {
                String[] cells = row.split("\\|");
                lastProjected.put(cells[0], cells[1]);
            }
            long missingOnTopic = store.keySet().stream().filter(id -> !onTopic.containsKey(id)).count();
            long duplicatesOnTopic = onTopic.values().stream().filter(n -> n > 1).count();
            long notProjected = store.keySet().stream().filter(id -> !projected.containsKey(id)).count();
            long projectedTwice = store.keySet().stream().filter(id -> projected.getOrDefault(id, 0) > 1).count();
            long projectedUnknown = projected.keySet().stream().filter(id -> !store.containsKey(id)).count();
            long entitiesBehind = lastInStore.entrySet().stream()
                    .filter(e -> !e.getValue().equals(lastProjected.get(e.getKey())))
                    .count();
            lines.add("| events in the event store | " + store.size() + " |");
            lines.add("| of them on keyledger.key-events (at least once) | " + (store.size() - missingOnTopic)
                    + " (records read: " + onTopic.values().stream().mapToInt(Integer::intValue).sum()
                    + ", events there more than once: " + duplicatesOnTopic + ") |");
            lines.add("| of them in the audit projection exactly once | " + (store.size() - notProjected - projectedTwice)
                    + " (missing " + notProjected + ", twice or more " + projectedTwice + ", unknown to the store "
                    + projectedUnknown + ") |");
            lines.add("| aggregates whose projection is at the store's last sequence | "
                    + (lastInStore.size() - entitiesBehind) + " of " + lastInStore.size() + " |");
            if (missingOnTopic > 0) {
                failures.add(missingOnTopic + " events of the event store are not on keyledger.key-events, e.g. "
                        + store.keySet().stream().filter(id -> !onTopic.containsKey(id)).limit(3).toList());
            }
            if (notProjected + projectedTwice + projectedUnknown > 0) {
                failures.add("audit projection: " + notProjected + " events missing, " + projectedTwice
                        + " more than once, " + projectedUnknown + " not in the store");
            }
            if (entitiesBehind > 0) {
                failures.add(entitiesBehind + " aggregates whose projection is not at the store's last sequence");
            }
        } catch (Exception e) {
            failures.add("event checks could not run: " + e);
            lines.add("| event checks | could not run: " + e + " |");
        }
        return lines;
    }

    // ---- report ---------------------------------------------------------------------------------

    static String report(Map<String, Long> usage, List<String> eventLines) {
        StringBuilder out = new StringBuilder();
        out.append("Chaos run of ").append(Instant.now()).append(": ").append(steadyKeys.size())
                .append(" steady keys, ").append(revocations.size()).append(" revocations, ")
                .append(CLIENTS).append(" keep-alive clients at up to ").append(RATE)
                .append(" requests/s through lb (").append(LOAD_PATH).append("), deny bound ").append(BOUND_MS)
                .append(" ms (").append(FAILOVER_BOUND_MS).append(" ms while a query-service or broker is down).\n\n");

        out.append("Load average (1/5/15 min) at each fault's start: ")
                .append(String.join("; ", phases.stream()
                        .filter(p -> p.part.equals("down") || p.fault.equals("baseline") || p.fault.equals("end"))
                        .map(p -> p.fault + " " + p.loadAverage)
                        .toList()))
                .append(" (")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores).\n\n");
        out.append("| fault | outage | requests sent | accepted (200) | valid-key requests accepted | fail-closed 503 | cut in flight / connection refused | rate-limiter backend errors | edge behaviour | revocations (failed attempts) | worst deny delay, probes on 3 edges | worst late 200 | bound | recovery: status up / end to end |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<String> order = new ArrayList<>();
        order.add("baseline");
        order.addAll(FAULTS);
        order.add("end");
        for (String fault : order) {
            List<Phase> of = phases.stream().filter(p -> p.fault.equals(fault)).toList();
            if (of.isEmpty()) {
                continue;
            }
            long sent = of.stream().mapToLong(p -> p.sent.sum()).sum();
            long ok = of.stream().mapToLong(p -> p.ok.sum()).sum();
            long cut = of.stream().mapToLong(p -> p.cut.sum()).sum();
            long unavailable = of.stream().mapToLong(p -> p.unavailable.sum()).sum();
            Phase down = of.stream().filter(p -> p.part.equals("down")).findFirst().orElse(of.get(0));
            double backend = of.stream()
                    .mapToDouble(p -> Double.isNaN(p.backendErrorsAtEnd) || Double.isNaN(p.backendErrorsAtStart)
                            ? 0
                            : Math.max(0, p.backendErrorsAtEnd - p.backendErrorsAtStart))
                    .sum();
            List<Revocation> revs = revocations.stream().filter(r -> r.phase.fault.equals(fault)).toList();
            double worstDeny = revs.stream().mapToDouble(Revocation::worstDenyMs).filter(d -> !Double.isNaN(d))
                    .max().orElse(Double.NaN);
            boolean neverDenied = revs.stream().anyMatch(r -> !r.deniedEverywhere());
            double worstLate = revs.stream().filter(r -> !r.cutInFlight()).mapToDouble(Revocation::worstAcceptMs)
                    .max().orElse(-1);
            long bound = revs.stream().mapToLong(r -> r.boundMs).max().orElse(BOUND_MS);
            int failedAttempts = revs.stream().mapToInt(r -> r.failedAttempts).sum();
            long cutRevocations = revs.stream().filter(Revocation::cutInFlight).count();
            long[] rec = recovery.get(fault);
            out.append("| ").append(fault)
                    .append(" | ").append(rec == null ? "-" : rec[2] + " s")
                    .append(" | ").append(sent)
                    .append(" | ").append(ok)
                    .append(" | ").append(percent(down.validOk.sum(), down.validSent.sum())).append(" while down")
                    .append(" | ").append(unavailable)
                    .append(" | ").append(cut).append(" / ").append(of.stream().mapToLong(p -> p.notConnected.sum()).sum())
                    .append(" | ").append(String.format(Locale.ROOT, "%.0f", backend))
                    .append(" | ").append(behaviour(fault, down))
                    .append(" | ").append(revs.size()).append(" (").append(failedAttempts).append(")")
                    .append(cutRevocations > 0 ? ", " + cutRevocations + " cut in flight" : "")
                    .append(" | ").append(revs.isEmpty() || Double.isNaN(worstDeny) ? "-" : neverDenied ? "never denied on some edge" : ms(worstDeny))
                    .append(" | ").append(worstLate < 0 ? "none" : ms(worstLate))
                    .append(" | ").append(bound).append(" ms")
                    .append(" | ").append(rec == null ? "-" : ms(rec[0]) + " / " + ms(rec[1]))
                    .append(" |\n");
        }

        long sent = phases.stream().mapToLong(p -> p.sent.sum()).sum();
        long accepted = allKeys().stream().mapToLong(k -> k.ok.sum()).sum();
        long cut = allKeys().stream().mapToLong(k -> k.cut.sum()).sum();
        long counted = allKeys().stream().mapToLong(k -> usage.getOrDefault(k.id, 0L)).sum();
        out.append("\n| totals | |\n|---|---|\n");
        out.append("| requests sent (load and probes) | ").append(sent).append(" |\n");
        out.append("| accepted (200) | ").append(accepted).append(" |\n");
        out.append("| counted (read API usage_count, all keys) | ").append(counted).append(" |\n");
        out.append("| cut in flight (no answer, or a 5xx not from the edge) | ").append(cut).append(" |\n");
        for (String line : eventLines) {
            out.append(line).append('\n');
        }

        out.append("\nPer key (usage must be within [accepted, accepted + cut]):\n\n");
        out.append("| key | kind | accepted | cut | usage_count | holds |\n|---|---|---|---|---|---|\n");
        int outside = 0;
        for (Key key : allKeys()) {
            long ok = key.ok.sum();
            long keyCut = key.cut.sum();
            long used = usage.getOrDefault(key.id, 0L);
            boolean holds = used >= ok && used <= ok + keyCut;
            if (!holds) {
                outside++;
                failures.add("usage of " + key.id + " is " + used + ", outside [" + ok + ", " + (ok + keyCut) + "]");
            }
            if (key.steady || !holds || keyCut > 0) {
                out.append("| ").append(key.id).append(" | ").append(key.steady ? "steady" : "revoked")
                        .append(" | ").append(ok).append(" | ").append(keyCut).append(" | ").append(used)
                        .append(" | ").append(holds ? "yes" : "**no**").append(" |\n");
            }
        }
        long quietVictims = victims.stream()
                .filter(k -> {
                    long used = usage.getOrDefault(k.id, 0L);
                    return k.cut.sum() == 0 && used >= k.ok.sum() && used <= k.ok.sum();
                })
                .count();
        out.append("\n").append(quietVictims).append(" revoked keys with no cut request are not listed; their usage equals their 200s exactly. ")
                .append(outside).append(" keys outside their bounds.\n");

        for (Revocation r : revocations) {
            if (!r.deniedEverywhere()) {
                failures.add("revocation of " + r.key.id + " (" + r.phase.fault + " " + r.phase.part
                        + "): some edge never answered 401");
            }
            if (!r.lateAccepts.isEmpty()) {
                failures.add("revocation of " + r.key.id + " (" + r.phase.fault + " " + r.phase.part + "): "
                        + r.lateAccepts.size() + " requests accepted later than " + r.boundMs + " ms after the answer, e.g. "
                        + r.lateAccepts.subList(0, Math.min(3, r.lateAccepts.size())));
            }
        }
        out.append("\nRevocations (deny delay: revoke answer to the first 401 of each edge probed directly, over the edges that answered every probe; an edge that was down is judged by its 200s alone; a revocation cut in flight, whose DELETE lost its answer, is measured from the retry's 204 but held only to being refused everywhere; pending: the answer said X-Keyledger-Relay: pending or carried no such header):\n\n");
        out.append("| phase | revocations | deny delay p50 | deny delay max | latest 200 after the answer | failed revoke attempts | answers published / pending / cut in flight |\n|---|---|---|---|---|---|---|\n");
        Map<String, List<Revocation>> byPhase = new TreeMap<>();
        for (Revocation r : revocations) {
            byPhase.computeIfAbsent(String.format("%02d %s %s", phases.indexOf(r.phase), r.phase.fault, r.phase.part),
                            k -> new ArrayList<>())
                    .add(r);
        }
        for (var entry : byPhase.entrySet()) {
            double[] delays = entry.getValue().stream().mapToDouble(Revocation::worstDenyMs)
                    .filter(d -> !Double.isNaN(d)).sorted().toArray();
            double late = entry.getValue().stream().filter(r -> !r.cutInFlight()).mapToDouble(Revocation::worstAcceptMs)
                    .max().orElse(-1);
            long published = entry.getValue().stream().filter(r -> !r.cutInFlight() && r.relay.equals("published")).count();
            long pending = entry.getValue().stream().filter(r -> !r.cutInFlight() && !r.relay.equals("published")).count();
            long cutInFlight = entry.getValue().stream().filter(Revocation::cutInFlight).count();
            out.append("| ").append(entry.getKey().substring(3)).append(" | ").append(entry.getValue().size())
                    .append(" | ").append(delays.length == 0 ? "-" : ms(delays[delays.length / 2]))
                    .append(" | ").append(delays.length == 0 ? "-" : ms(delays[delays.length - 1]))
                    .append(" | ").append(late < 0 ? "none" : ms(late))
                    .append(" | ").append(entry.getValue().stream().mapToInt(r -> r.failedAttempts).sum())
                    .append(" | ").append(published).append(" / ").append(pending).append(" / ").append(cutInFlight)
                    .append(" |\n");
        }
        long validRefused = phases.stream().mapToLong(p -> p.validRefused.sum()).sum();
        if (validRefused > 0) {
            out.append("\nValid (never revoked) keys refused 401/403/429: ").append(validRefused).append(" (")
                    .append(phases.stream().filter(p -> p.validRefused.sum() > 0)
                            .map(p -> p.fault + " " + p.part + ": " + p.validRefused.sum()).toList())
                    .append(")\n");
        }
        return out.toString();
    }

    static String behaviour(String fault, Phase down) {
        long validSent = down.validSent.sum();
        if (validSent == 0) {
            return "-";
        }
        double open = (double) down.validOk.sum() / validSent;
        double closed = (double) down.unavailable.sum() / validSent;
        if (closed > 0.01) {
            return String.format(Locale.ROOT, "fails closed: %.1f%% 503", 100 * closed)
                    + (open > 0.01 ? String.format(Locale.ROOT, " after serving %.1f%%", 100 * open) : "");
        }
        if (open >= 0.95) {
            return "stays open";
        }
        return String.format(Locale.ROOT, "degraded: %.1f%% served", 100 * open);
    }

    // ---- helpers --------------------------------------------------------------------------------

    static double edgeMetricSum(String metric) {
        double sum = 0;
        boolean any = false;
        for (String edge : EDGES) {
            int port = URI.create(edge).getPort() + 1000;
            try {
                HttpResponse<String> answer = PROBE_HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                for (String line : answer.body().split("\n")) {
                    if (line.startsWith(metric)) {
                        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        any = true;
                    }
                }
            } catch (Exception e) {
                // a dead edge has no metrics; its counters restart at zero anyway
            }
        }
        return any ? sum : Double.NaN;
    }

    static String cluster(String... verb) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(CLUSTER);
        command.addAll(Arrays.asList(verb));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (!verb[0].equals("status")) {
            log("cluster.sh " + String.join(" ", verb) + " -> " + exit + (output.isBlank() ? "" : ": " + output.strip().replace('\n', ' ')));
        }
        return output;
    }

    static List<String> psql(String database, String sql) throws IOException, InterruptedException {
        return run(List.of("psql", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-d", database, "-AtX", "-v",
                "ON_ERROR_STOP=1", "-c", sql));
    }

    static List<String> shell(String command) throws IOException, InterruptedException {
        return run(List.of("bash", "-c", command));
    }

    static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IOException(command.get(0) + " exited " + exit);
        }
        return lines;
    }

    static String token(String body) throws Exception {
        return ClusterHttp.token(API_HTTP, IDP, body);
    }

    static HttpResponse<String> api(String method, String url, String bearer, String body)
            throws IOException, InterruptedException {
        return ClusterHttp.call(API_HTTP, Duration.ofSeconds(10), method, url, bearer, body);
    }

    /** The machine's load averages (1, 5, 15 minutes) from /proc/loadavg, or "unknown". */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    static String ms(double nanosOrMs) {
        return nanosOrMs < 0 ? "never" : String.format(Locale.ROOT, "%,.0f ms", nanosOrMs);
    }

    static String ms(long nanos) {
        return nanos < 0 ? "never" : String.format(Locale.ROOT, "%,d ms", nanos / 1_000_000);
    }

    static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void log(String message) {
        System.err.printf(Locale.ROOT, "[%7.1f s] %s%n", (System.nanoTime() - T0) / 1e9, message);
    }
}
