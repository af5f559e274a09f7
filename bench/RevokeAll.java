import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Incident response against a running standalone (decision 0012), black box: issues KEYS secret keys
 * in one organization through the management API (THREADS in parallel), waits until the edge
 * accepts every one, then
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
 * <p>The edge is polled in passes over the keys not yet in the expected state, THREADS requests at a
 * time; each key's time is that of the pass that first saw it, so the resolution is one pass (printed).
 * Exits non-zero (and says why) when anything did not happen or nothing was measured. Run with
 * {@code java bench/RevokeAll.java} (JDK only).
 */
public class RevokeAll {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String IDP = env("IDP", "http://127.0.0.1:8090");
    static final String COMMANDS = env("COMMANDS", "http://127.0.0.1:8081");
    static final String EDGE = env("EDGE", "http://127.0.0.1:8080");
    static final int KEYS = Integer.parseInt(env("KEYS", "10000"));
    static final int THREADS = Integer.parseInt(env("THREADS", "8"));
    static final int REVOKED_BEFORE = Integer.parseInt(env("REVOKED_BEFORE", "10"));
    static final Duration BOUND = Duration.ofSeconds(Long.parseLong(env("BOUND_SECONDS", "300")));
    static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS);

    record Key(String id, String plaintext) {}

    record Wait(double lastMs, double passMs, int passes) {}

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
        Wait accepted = waitFor(keys, all, 200, System.nanoTime());
        System.out.printf("edge accepts all %d keys (%.1f s after the last issue)%n", KEYS, accepted.lastMs() / 1000);

        // Suspension: a few keys revoked first must stay refused after reactivation.
        BitSet revokedBefore = new BitSet(KEYS);
        for (int i = 0; i < Math.min(REVOKED_BEFORE, KEYS); i++) {
            send("DELETE", COMMANDS + "/api/v1/organizations/" + org + "/api-keys/" + keys.get(i).id(), owner, null, 204);
            revokedBefore.set(i);
        }
        waitFor(keys, revokedBefore, 401, System.nanoTime());
        send("POST", COMMANDS + "/api/v1/organizations/" + org + "/suspend", admin, "{\"reason\":\"bench\"}", 200);
        long suspended = System.nanoTime();
        Wait refused = waitFor(keys, all, 401, suspended);
        System.out.printf("RESULT suspend keys=%d last_401_ms=%.0f pass_ms=%.0f passes=%d%n",
                KEYS, refused.lastMs(), refused.passMs(), refused.passes());

        send("POST", COMMANDS + "/api/v1/organizations/" + org + "/reactivate", admin, null, 200);
        long reactivated = System.nanoTime();
        BitSet valid = (BitSet) all.clone();
        valid.andNot(revokedBefore);
        Wait restored = waitFor(keys, valid, 200, reactivated);
        for (int i = revokedBefore.nextSetBit(0); i >= 0; i = revokedBefore.nextSetBit(i + 1)) {
            if (edgeStatus(keys.get(i).plaintext()) != 401) {
                throw new IllegalStateException("key " + keys.get(i).id() + " was revoked before the suspension but works after the reactivation");
            }
        }
        System.out.printf("RESULT reactivate keys=%d last_200_ms=%.0f pass_ms=%.0f passes=%d still_refused=%d%n",
                valid.cardinality(), restored.lastMs(), restored.passMs(), restored.passes(), revokedBefore.cardinality());

        long call = System.nanoTime();
        String answer = send("POST", COMMANDS + "/api/v1/organizations/" + org + "/api-keys/revoke-all", owner,
                "{\"reason\":\"bench: leaked\"}", 200);
        long answered = System.nanoTime();
        int revoked = Integer.parseInt(number(answer, "revoked"));
        if (revoked != valid.cardinality()) {
            throw new IllegalStateException("revoke-all revoked " + revoked + " keys, expected " + valid.cardinality());
        }
        Wait denied = waitFor(keys, valid, 401, answered);
        System.out.printf("RESULT revoke-all keys=%d call_ms=%.0f last_401_ms=%.0f pass_ms=%.0f passes=%d%n",
                revoked, (answered - call) / 1e6, denied.lastMs(), denied.passMs(), denied.passes());
    }

    /**
     * Polls the edge for the keys in {@code which} until each answered {@code status} once; the
     * time of the last one, from {@code since}.
     */
    static Wait waitFor(List<Key> keys, BitSet which, int status, long since) throws Exception {
        BitSet pending = (BitSet) which.clone();
        long last = since;
        long passNanos = 0;
        int passes = 0;
        while (!pending.isEmpty()) {
            if (System.nanoTime() - since > BOUND.toNanos()) {
                throw new IllegalStateException(pending.cardinality() + " keys still not " + status + " after " + BOUND);
            }
            long passStart = System.nanoTime();
            List<Integer> indexes = pending.stream().boxed().toList();
            List<Future<Boolean>> results = new ArrayList<>(indexes.size());
            for (int index : indexes) {
                results.add(POOL.submit(() -> edgeStatus(keys.get(index).plaintext()) == status));
            }
            long seen = System.nanoTime();
            for (int i = 0; i < indexes.size(); i++) {
                if (results.get(i).get()) {
                    pending.clear(indexes.get(i));
                    seen = System.nanoTime();
                    last = Math.max(last, seen);
                }
            }
            passNanos = Math.max(passNanos, System.nanoTime() - passStart);
            passes++;
        }
        if (passes == 0) {
            throw new IllegalStateException("nothing to wait for: measured nothing");
        }
        return new Wait((last - since) / 1e6, passNanos / 1e6, passes);
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
