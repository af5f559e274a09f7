import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Incident response against a running standalone (decision 0012): issues KEYS secret keys in one
 * organization through the management API (THREADS in parallel), waits until the edge accepts every
 * one, then
 *
 * <ol>
 *   <li>revokes a few keys (REVOKED_BEFORE) one by one, suspends the organization and measures the
 *       time from the suspend answer to the last key refused (401) at the edge;
 *   <li>reactivates it and measures the time to the last key accepted again, checking that exactly
 *       the keys valid before work (the revoked ones stay 401);
 *   <li>calls revoke-all, records how long the call took, and measures the time from its answer to
 *       the last 401 at the edge.
 * </ol>
 *
 * <p>Two measurements per phase:
 *
 * <ul>
 *   <li><b>Black box, as a bracket.</b> CONNECTIONS workers poll the edge's forward-auth endpoint
 *       continuously, each taking the next key not yet in the expected state from a shared queue
 *       (a key still in the old state goes to the back). Per key it records when the request of
 *       its last old answer (200, or 401 for a reactivation) was <em>sent</em> and when its first
 *       new answer was <em>received</em>, both from the command's answer. The key changed at the
 *       edge in between, so max(last old) is a lower bound and max(first new) an upper bound of the
 *       time to the last key: the result is that bracket, whose width is one poll of the last key,
 *       not one pass over all of them.
 *   <li><b>The edge's own clock.</b> {@code keyledger_edge_revocation_lag_seconds} (the edge's
 *       management port, EDGE_MANAGEMENT) measures, per removed key, from the tombstone's record
 *       time (the revocation, the suspension or the database deletion) to its removal from the
 *       table. Its histogram is read before and after the phase: the number of tombstones applied,
 *       p50/p99/max from the bucket differences (upper bucket bounds) and the timer's decaying max.
 *       The query-service's {@code keyledger_active_keys_published_total{kind="tombstone"}} and
 *       {@code keyledger_active_keys_publish_seconds} (QUERIES_MANAGEMENT) say what it published
 *       and how long its longest publish took.
 * </ul>
 *
 * <p>Exits non-zero (and says why) when anything did not happen or nothing was measured: no key
 * polled, no tombstone counted by the edge, a metric missing from a scrape. Run with {@code java
 * bench/RevokeAll.java} (JDK only).
 */
public class RevokeAll {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String IDP = env("IDP", "http://127.0.0.1:8090");
    static final String COMMANDS = env("COMMANDS", "http://127.0.0.1:8081");
    static final String EDGE = env("EDGE", "http://127.0.0.1:8080");
    static final String EDGE_MANAGEMENT = env("EDGE_MANAGEMENT", "http://127.0.0.1:9080");
    static final String QUERIES_MANAGEMENT = env("QUERIES_MANAGEMENT", "http://127.0.0.1:9082");
    static final String COMMANDS_MANAGEMENT = env("COMMANDS_MANAGEMENT", "http://127.0.0.1:9081");
    static final int KEYS = Integer.parseInt(env("KEYS", "10000"));
    static final int THREADS = Integer.parseInt(env("THREADS", "8"));
    static final int CONNECTIONS = Integer.parseInt(env("CONNECTIONS", "16"));
    static final int REVOKED_BEFORE = Integer.parseInt(env("REVOKED_BEFORE", "10"));
    static final Duration BOUND = Duration.ofSeconds(Long.parseLong(env("BOUND_SECONDS", "300")));
    static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(THREADS, CONNECTIONS));

    static final String LAG = "keyledger_edge_revocation_lag_seconds";
    static final String PUBLISHED = "keyledger_active_keys_published_total";
    static final String PUBLISH_TIME = "keyledger_active_keys_publish_seconds";

    record Key(String id, String plaintext) {}

    /**
     * A black-box phase: {@code lastOldMs} the latest send time of an old answer (-1 when every key
     * was already new at its first check), {@code firstNewMs} the latest receive time of a first new
     * answer, both from the command's answer; {@code stillOld} keys seen in the old state at least
     * once after the answer.
     */
    record Bracket(double lastOldMs, double firstNewMs, long checks, int stillOld, int others) {
        String describe(String oldName, String newName) {
            return String.format(
                    "last_%s_ms=%s first_%s_ms=%.0f checks=%d keys_seen_%s=%d other_answers=%d",
                    oldName,
                    lastOldMs < 0 ? "none" : String.format("%.0f", lastOldMs),
                    newName,
                    firstNewMs,
                    checks,
                    oldName,
                    stillOld,
                    others);
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            run();
        } finally {
            POOL.shutdownNow();
        }
    }

    static void run() throws Exception {
        String admin = token("{\"subject\":\"bench\",\"roles\":[\"platform_admin\"]}");
        String org = field(
                post(COMMANDS + "/api/v1/organizations", admin,
                        "{\"name\":\"Revoke-all bench\",\"plan\":\"enterprise\",\"limits\":"
                                + "{\"requests_per_minute\":1000000000,\"requests_per_day\":1000000000000}}", 201),
                "id");
        String owner = token("{\"subject\":\"incident-bench\",\"organization_id\":\"" + org + "\",\"roles\":[\"org_admin\"]}");
        System.out.println("organization " + org);
        // Fail before issuing 10,000 keys when a metric cannot be read.
        scrape(EDGE_MANAGEMENT, LAG + "_count");
        scrape(QUERIES_MANAGEMENT, PUBLISHED);

        long issueStart = System.nanoTime();
        List<Future<Key>> futures = new ArrayList<>(KEYS);
        for (int i = 0; i < KEYS; i++) {
            int n = i;
            futures.add(POOL.submit(() -> {
                String body = post(COMMANDS + "/api/v1/organizations/" + org + "/api-keys", owner, "{\"name\":\"k" + n + "\"}", 201);
                return new Key(field(body, "id"), field(body, "key"));
            }));
        }
        List<Key> keys = new ArrayList<>(KEYS);
        for (Future<Key> future : futures) {
            keys.add(future.get());
        }
        System.out.printf("issued %d keys in %.1f s%n", keys.size(), (System.nanoTime() - issueStart) / 1e9);
        BitSet all = new BitSet(KEYS);
        all.set(0, KEYS);
        Bracket accepted = poll(keys, all, 200, 401, System.nanoTime());
        System.out.printf("edge accepts all %d keys (%.1f s after the last issue)%n", KEYS, accepted.firstNewMs() / 1000);

        // Suspension: a few keys revoked first must stay refused after reactivation.
        BitSet revokedBefore = new BitSet(KEYS);
        for (int i = 0; i < Math.min(REVOKED_BEFORE, KEYS); i++) {
            send("DELETE", COMMANDS + "/api/v1/organizations/" + org + "/api-keys/" + keys.get(i).id(), owner, null, 204);
            revokedBefore.set(i);
        }
        poll(keys, revokedBefore, 401, 200, System.nanoTime());
        BitSet valid = (BitSet) all.clone();
        valid.andNot(revokedBefore);

        Metrics before = Metrics.read();
        Timeline timeline = Timeline.start(1, valid.cardinality());
        send("POST", COMMANDS + "/api/v1/organizations/" + org + "/suspend", admin, "{\"reason\":\"bench\"}", 200);
        long suspended = System.nanoTime();
        Bracket refused = poll(keys, all, 401, 200, suspended);
        String lag = Metrics.awaitTombstones(before, valid.cardinality());
        System.out.printf("RESULT suspend keys=%d %s %s%n", KEYS, refused.describe("200", "401"), lag);
        System.out.println("TIMELINE suspend " + timeline.finish(suspended));

        send("POST", COMMANDS + "/api/v1/organizations/" + org + "/reactivate", admin, null, 200);
        long reactivated = System.nanoTime();
        Bracket restored = poll(keys, valid, 200, 401, reactivated);
        for (int i = revokedBefore.nextSetBit(0); i >= 0; i = revokedBefore.nextSetBit(i + 1)) {
            if (edgeStatus(keys.get(i).plaintext()) != 401) {
                throw new IllegalStateException("key " + keys.get(i).id() + " was revoked before the suspension but works after the reactivation");
            }
        }
        System.out.printf("RESULT reactivate keys=%d %s still_refused=%d%n",
                valid.cardinality(), restored.describe("401", "200"), revokedBefore.cardinality());

        before = Metrics.read();
        timeline = Timeline.start(valid.cardinality(), valid.cardinality());
        long call = System.nanoTime();
        String answer = send("POST", COMMANDS + "/api/v1/organizations/" + org + "/api-keys/revoke-all", owner,
                "{\"reason\":\"bench: leaked\"}", 200);
        long answered = System.nanoTime();
        int revoked = Integer.parseInt(number(answer, "revoked"));
        if (revoked != valid.cardinality()) {
            throw new IllegalStateException("revoke-all revoked " + revoked + " keys, expected " + valid.cardinality());
        }
        Bracket denied = poll(keys, valid, 401, 200, answered);
        lag = Metrics.awaitTombstones(before, revoked);
        System.out.printf("RESULT revoke-all keys=%d call_ms=%.0f %s %s%n",
                revoked, (answered - call) / 1e6, denied.describe("200", "401"), lag);
        System.out.println("TIMELINE revoke-all " + timeline.finish(answered));
    }

    /**
     * Polls the edge for the keys in {@code which} until each answered {@code expected}, with
     * CONNECTIONS requests in flight; see {@link Bracket}. Times are from {@code since}.
     */
    static Bracket poll(List<Key> keys, BitSet which, int expected, int old, long since) throws Exception {
        int n = which.cardinality();
        if (n == 0) {
            throw new IllegalStateException("nothing to poll: measured nothing");
        }
        ConcurrentLinkedQueue<Integer> pending = new ConcurrentLinkedQueue<>();
        which.stream().forEach(pending::add);
        long[] lastOld = new long[keys.size()];
        long[] firstNew = new long[keys.size()];
        java.util.Arrays.fill(lastOld, Long.MIN_VALUE);
        AtomicInteger done = new AtomicInteger();
        AtomicLong checks = new AtomicLong();
        AtomicInteger others = new AtomicInteger();
        long deadline = since + BOUND.toNanos();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < CONNECTIONS; w++) {
            workers.add(POOL.submit(() -> {
                while (done.get() < n) {
                    if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                        throw new IllegalStateException((n - done.get()) + " keys still not " + expected + " after " + BOUND);
                    }
                    Integer index = pending.poll();
                    if (index == null) {
                        // The last keys are in flight on other connections.
                        LockSupport.parkNanos(100_000);
                        continue;
                    }
                    long sent = System.nanoTime();
                    int status = edgeStatus(keys.get(index).plaintext());
                    long received = System.nanoTime();
                    checks.incrementAndGet();
                    if (status == expected) {
                        firstNew[index] = received;
                        done.incrementAndGet();
                        continue;
                    }
                    if (status == old) {
                        lastOld[index] = sent;
                    } else {
                        others.incrementAndGet();
                    }
                    pending.add(index);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        long maxOld = Long.MIN_VALUE;
        long maxNew = Long.MIN_VALUE;
        int stillOld = 0;
        for (int i = which.nextSetBit(0); i >= 0; i = which.nextSetBit(i + 1)) {
            if (lastOld[i] != Long.MIN_VALUE) {
                stillOld++;
                maxOld = Math.max(maxOld, lastOld[i]);
            }
            maxNew = Math.max(maxNew, firstNew[i]);
        }
        if (checks.get() < n || maxNew == Long.MIN_VALUE) {
            throw new IllegalStateException("the poller measured nothing: " + checks.get() + " checks for " + n + " keys");
        }
        return new Bracket(
                maxOld == Long.MIN_VALUE ? -1 : Math.max(0, maxOld - since) / 1e6,
                (maxNew - since) / 1e6,
                checks.get(),
                stillOld,
                others.get());
    }

    /** The edge's revocation-lag histogram and the query-service's changelog counters at one moment. */
    record Metrics(Map<Double, Double> lagBuckets, double lagCount, double lagSum, double tombstones, double publishes) {

        static Metrics read() throws Exception {
            String edge = scrape(EDGE_MANAGEMENT, LAG + "_count");
            String queries = scrape(QUERIES_MANAGEMENT, PUBLISHED);
            Map<Double, Double> buckets = new TreeMap<>();
            Matcher m = Pattern.compile("(?m)^" + LAG + "_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*\\} (\\S+)$").matcher(edge);
            while (m.find()) {
                double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
                buckets.merge(le, Double.parseDouble(m.group(2)), Double::sum);
            }
            if (buckets.isEmpty()) {
                throw new IllegalStateException("no " + LAG + "_bucket at " + EDGE_MANAGEMENT + ": measured nothing");
            }
            return new Metrics(
                    buckets,
                    sample(edge, LAG + "_count", null),
                    sample(edge, LAG + "_sum", null),
                    sample(queries, PUBLISHED, "kind=\"tombstone\""),
                    sample(queries, PUBLISH_TIME + "_count", null));
        }

        /**
         * Waits (at most 60 s) until the edge counted {@code expected} more removals than in
         * {@code before}, then describes the difference; fails when it counted none.
         */
        static String awaitTombstones(Metrics before, int expected) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Metrics after = read();
            while (after.lagCount() - before.lagCount() < expected && System.nanoTime() < deadline) {
                Thread.sleep(200);
                after = read();
            }
            double count = after.lagCount() - before.lagCount();
            if (count <= 0) {
                throw new IllegalStateException("the edge counted no tombstone applied (" + LAG + "_count unchanged):"
                        + " measured nothing");
            }
            String edge = scrape(EDGE_MANAGEMENT, LAG + "_max");
            String queries = scrape(QUERIES_MANAGEMENT, PUBLISHED);
            return String.format(
                    "edge_tombstones=%.0f expected=%d edge_lag_mean_ms=%.1f edge_lag_p50_ms<=%s edge_lag_p99_ms<=%s"
                            + " edge_lag_max_ms=%s edge_lag_gauge_max_ms=%.1f published_tombstones=%.0f publishes=%.0f"
                            + " publish_gauge_max_ms=%.1f",
                    count,
                    expected,
                    (after.lagSum() - before.lagSum()) / count * 1000,
                    bound(quantile(before, after, 0.50)),
                    bound(quantile(before, after, 0.99)),
                    maxBucket(before, after),
                    sample(edge, LAG + "_max", null) * 1000,
                    after.tombstones() - before.tombstones(),
                    after.publishes() - before.publishes(),
                    sample(queries, PUBLISH_TIME + "_max", null) * 1000);
        }

        /** The upper bound (seconds) of the bucket holding quantile q of the removals in between. */
        static double quantile(Metrics before, Metrics after, double q) {
            double count = after.lagCount() - before.lagCount();
            for (Map.Entry<Double, Double> bucket : after.lagBuckets().entrySet()) {
                double below = bucket.getValue() - before.lagBuckets().getOrDefault(bucket.getKey(), 0.0);
                if (below >= q * count) {
                    return bucket.getKey();
                }
            }
            return Double.POSITIVE_INFINITY;
        }

        /** "(lower, upper]" in ms: the bucket of the largest removal in between. */
        static String maxBucket(Metrics before, Metrics after) {
            double count = after.lagCount() - before.lagCount();
            double lower = 0;
            for (Map.Entry<Double, Double> bucket : after.lagBuckets().entrySet()) {
                double below = bucket.getValue() - before.lagBuckets().getOrDefault(bucket.getKey(), 0.0);
                if (below >= count) {
                    return "(" + bound(lower) + "," + bound(bucket.getKey()) + "]";
                }
                lower = bucket.getKey();
            }
            return "(" + bound(lower) + ",inf]";
        }

        static String bound(double seconds) {
            return Double.isInfinite(seconds) ? "inf" : String.format("%.1f", seconds * 1000);
        }
    }

    /**
     * Where the time goes: a thread scrapes, every TIMELINE_MS (200) ms, the relay's published
     * events (command-service), the projection's applied events and published tombstones
     * (query-service) and the edge's removals, and notes when each first reached its count before
     * the phase plus what the phase adds. Printed relative to the command's answer (negative: before
     * it). Best effort: a source that cannot be read is printed as such, never fatal (the RESULT
     * lines are the measurement).
     */
    static final class Timeline implements Runnable {
        static final long INTERVAL_MS = Long.parseLong(env("TIMELINE_MS", "200"));
        final String[] names = {"relay_published", "projection_applied", "tombstones_published", "edge_removed"};
        final double[] base = new double[4];
        final double[] target = new double[4];
        final long[] reached = new long[4];
        volatile boolean running = true;
        volatile String failure;
        Thread thread;

        static Timeline start(int events, int tombstones) {
            Timeline t = new Timeline();
            try {
                double[] now = t.sample();
                for (int i = 0; i < 4; i++) {
                    t.base[i] = now[i];
                    t.target[i] = now[i] + (i < 2 ? events : tombstones);
                }
            } catch (Exception e) {
                t.failure = e.toString();
                return t;
            }
            t.thread = new Thread(t, "timeline");
            t.thread.setDaemon(true);
            t.thread.start();
            return t;
        }

        double[] sample() throws Exception {
            String commands = scrape(COMMANDS_MANAGEMENT, "keyledger_relay_events_published_total");
            String queries = scrape(QUERIES_MANAGEMENT, "keyledger_projection_events_total");
            String edge = scrape(EDGE_MANAGEMENT, LAG + "_count");
            return new double[] {
                RevokeAll.sample(commands, "keyledger_relay_events_published_total", null),
                RevokeAll.sample(queries, "keyledger_projection_events_total", "outcome=\"applied\""),
                RevokeAll.sample(queries, PUBLISHED, "kind=\"tombstone\""),
                RevokeAll.sample(edge, LAG + "_count", null)
            };
        }

        @Override
        public void run() {
            while (running) {
                try {
                    double[] now = sample();
                    long at = System.nanoTime();
                    boolean all = true;
                    for (int i = 0; i < 4; i++) {
                        if (reached[i] == 0 && now[i] >= target[i]) {
                            reached[i] = at;
                        }
                        all &= reached[i] != 0;
                    }
                    if (all) {
                        return;
                    }
                    Thread.sleep(INTERVAL_MS);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failure = e.toString();
                    return;
                }
            }
        }

        String finish(long answered) throws InterruptedException {
            if (thread != null) {
                thread.join(Duration.ofSeconds(30));
                running = false;
            }
            if (failure != null) {
                return "unavailable: " + failure;
            }
            StringBuilder out = new StringBuilder("(ms from the answer, resolution " + INTERVAL_MS + " ms plus a scrape)");
            for (int i = 0; i < 4; i++) {
                out.append(' ').append(names[i]).append("_ms=")
                        .append(reached[i] == 0 ? "not-reached" : String.format("%.0f", (reached[i] - answered) / 1e6));
            }
            return out.toString();
        }
    }

    /** The Prometheus page of a management port; fails when {@code required} is not on it. */
    static String scrape(String base, String required) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(base + "/actuator/prometheus answered " + response.statusCode());
        }
        if (!response.body().contains(required)) {
            throw new IllegalStateException("no " + required + " at " + base + "/actuator/prometheus: measured nothing");
        }
        return response.body();
    }

    /** The sum of the samples of {@code name} (whose labels contain {@code label}, if given). */
    static double sample(String page, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(page);
        double total = 0;
        boolean found = false;
        while (m.find()) {
            if (label == null || (m.group(1) != null && m.group(1).contains(label))) {
                total += Double.parseDouble(m.group(2));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("no sample " + name + (label == null ? "" : "{" + label + "}") + ": measured nothing");
        }
        return total;
    }

    static int edgeStatus(String apiKey) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(EDGE + "/_keyledger/auth"))
                                .header("X-API-Key", apiKey)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    static String token(String body) throws Exception {
        return field(post(IDP + "/dev/token", null, body, 200), "access_token");
    }

    static String post(String url, String bearer, String body, int expected) throws Exception {
        return send("POST", url, bearer, body, expected);
    }

    static String send(String method, String url, String bearer, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(300));
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static String number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
