import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The backup drill's client side (deploy/local-cluster/backup-drill.sh), JDK only (with
 * lib/ClusterHttp.java for the API calls and JSON):
 *
 * <pre>
 *   java BackupDrill.java seed WORK       an organization with keys, renames, a roll, revocations and traffic
 *   java BackupDrill.java snapshot WORK   what the platform answers: edges first, then (settled) the read API
 *   java BackupDrill.java burst WORK      more traffic while the read side is stopped (usage only on the topic)
 *   java BackupDrill.java compare WORK    the restored platform against snapshot + burst; exit 1 on a difference
 * </pre>
 *
 * WORK holds keys.json with the keys' plaintexts: it is the drill's own test data, never part of
 * the backup. URLs from cluster.sh env (KEYLEDGER_*_URL, KEYLEDGER_EDGE_URLS).
 */
public class BackupDrill {

    static final String LB = ClusterHttp.env("KEYLEDGER_LB_URL", "http://127.0.0.1:18000");
    static final String COMMANDS = ClusterHttp.env("KEYLEDGER_COMMAND_URL", "http://127.0.0.1:18181");
    static final String QUERY = ClusterHttp.env("KEYLEDGER_QUERY_URL", "http://127.0.0.1:18182");
    static final String IDP = ClusterHttp.env("KEYLEDGER_IDP_URL", "http://127.0.0.1:18090");
    static final List<String> EDGES = List.of(
            ClusterHttp.env("KEYLEDGER_EDGE_URLS", "http://127.0.0.1:18080,http://127.0.0.1:18081,http://127.0.0.1:18082").split(","));
    static final HttpClient HTTP = ClusterHttp.client(Duration.ofSeconds(3));
    /** Fields of a key view that a restore may legitimately change: derived from the clock. */
    static final Set<String> VOLATILE = Set.of("age_days", "last_used_at");

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[1]);
        Files.createDirectories(work);
        switch (args[0]) {
            case "seed" -> seed(work);
            case "snapshot" -> snapshot(work);
            case "burst" -> burst(work);
            case "compare" -> System.exit(compare(work));
            default -> throw new IllegalArgumentException("unknown verb " + args[0]);
        }
    }

    // ---- seed -----------------------------------------------------------------------------------

    static void seed(Path work) throws Exception {
        String admin = token("{\"subject\":\"drill-admin\",\"roles\":[\"platform_admin\"]}");
        String org = ClusterHttp.field(ClusterHttp.expect(call("POST", COMMANDS + "/api/v1/organizations", admin,
                        "{\"name\":\"Backup drill\",\"plan\":\"enterprise\",\"limits\":{\"requests_per_minute\":1000000,\"requests_per_day\":100000000}}"),
                201), "id");
        String owner = owner(org);
        String db = ClusterHttp.field(ClusterHttp.expect(call("POST", COMMANDS + "/api/v1/organizations/" + org + "/databases", owner,
                        "{\"name\":\"main\",\"allowed_origins\":[\"https://app.drill.example\"]}"), 201), "id");
        Map<String, Object> keys = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            String body = ClusterHttp.expect(call("POST", COMMANDS + "/api/v1/organizations/" + org + "/api-keys", owner,
                    "{\"name\":\"secret " + i + "\"}"), 201);
            keys.put(ClusterHttp.field(body, "id"), Map.of("key", ClusterHttp.field(body, "key"), "origin", ""));
        }
        for (int i = 0; i < 3; i++) {
            String body = ClusterHttp.expect(call("POST", COMMANDS + "/api/v1/organizations/" + org + "/databases/" + db + "/api-keys",
                    owner, "{\"name\":\"public " + i + "\"}"), 201);
            keys.put(ClusterHttp.field(body, "id"), Map.of("key", ClusterHttp.field(body, "key"), "origin", "https://app.drill.example"));
        }
        List<String> ids = new ArrayList<>(keys.keySet());
        ClusterHttp.expect(call("PATCH", COMMANDS + "/api/v1/organizations/" + org + "/api-keys/" + ids.get(0), owner,
                "{\"name\":\"secret 0 (renamed)\"}"), 200);
        String rolled = ClusterHttp.expect(call("POST", COMMANDS + "/api/v1/organizations/" + org + "/api-keys/" + ids.get(1) + "/roll",
                owner, "{\"grace_period_seconds\":3600}"), 201);
        keys.put(ClusterHttp.field(rolled, "id"), Map.of("key", ClusterHttp.field(rolled, "key"), "origin", ""));
        for (String revoked : List.of(ids.get(2), ids.get(3), ids.get(9))) {
            ClusterHttp.expect(call("DELETE", COMMANDS + "/api/v1/organizations/" + org + "/api-keys/" + revoked, owner, null), 204);
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("organization_id", org);
        state.put("database_id", db);
        state.put("keys", keys);
        Files.writeString(work.resolve("keys.json"), ClusterHttp.Json.write(state));
        // Wait until every edge knows every key (accepted or, for the revoked ones, refused).
        waitForEdges(keys, Set.of(ids.get(2), ids.get(3), ids.get(9)));
        Map<String, Long> sent = traffic(keys, Set.of(ids.get(2), ids.get(3), ids.get(9)), 20);
        System.out.println("seeded " + org + ": " + keys.size() + " keys, 3 revoked; traffic " + sent);
    }

    @SuppressWarnings("unchecked")
    static void waitForEdges(Map<String, Object> keys, Set<String> revoked) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (var entry : keys.entrySet()) {
            Map<String, Object> key = (Map<String, Object>) entry.getValue();
            int expected = revoked.contains(entry.getKey()) ? 401 : 200;
            for (String edge : EDGES) {
                while (edgeStatus(edge, key) != expected) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(edge + " never answered " + expected + " for " + entry.getKey());
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    /** ROUNDS requests per usable key through lb; the number of 200s per key. */
    @SuppressWarnings("unchecked")
    static Map<String, Long> traffic(Map<String, Object> keys, Set<String> revoked, int rounds) throws Exception {
        Map<String, Long> accepted = new TreeMap<>();
        for (int round = 0; round < rounds; round++) {
            for (var entry : keys.entrySet()) {
                if (revoked.contains(entry.getKey())) {
                    continue;
                }
                Map<String, Object> key = (Map<String, Object>) entry.getValue();
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(LB + "/api/v1/chat/message"))
                        .header("X-API-Key", (String) key.get("key"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"drill\"}"));
                if (!((String) key.get("origin")).isEmpty()) {
                    request.header("Origin", (String) key.get("origin"));
                }
                int status = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                // Only 200s are counted; with the read side stopped an edge may fail closed (503)
                // once its changelog heartbeats are older than its bound, and that is not usage.
                if (status == 200) {
                    accepted.merge(entry.getKey(), 1L, Long::sum);
                } else if (status != 503) {
                    throw new IllegalStateException("lb answered " + status + " for " + entry.getKey());
                }
            }
        }
        return accepted;
    }

    // ---- snapshot and burst ---------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    static void snapshot(Path work) throws Exception {
        Map<String, Object> state = (Map<String, Object>) ClusterHttp.Json.parse(Files.readString(work.resolve("keys.json")));
        Map<String, Object> edges = edgeAnswers((Map<String, Object>) state.get("keys"));
        // Settled: two readings 5 s apart that agree.
        Map<String, Object> previous = null;
        for (int i = 0; i < 60; i++) {
            Map<String, Object> reading = readApi(state);
            if (reading.equals(previous)) {
                break;
            }
            previous = reading;
            Thread.sleep(5000);
        }
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("read_api", previous);
        snapshot.put("edges", edges);
        Files.writeString(work.resolve("before.json"), ClusterHttp.Json.write(snapshot));
        System.out.println("snapshot: " + ((Map<String, Object>) previous.get("keys")).size() + " keys, edges " + edges);
    }

    @SuppressWarnings("unchecked")
    static void burst(Path work) throws Exception {
        Map<String, Object> state = (Map<String, Object>) ClusterHttp.Json.parse(Files.readString(work.resolve("keys.json")));
        Map<String, Object> keys = (Map<String, Object>) state.get("keys");
        Map<String, Object> before = (Map<String, Object>) ClusterHttp.Json.parse(Files.readString(work.resolve("before.json")));
        Map<String, Object> edges = (Map<String, Object>) before.get("edges");
        Set<String> refused = new java.util.HashSet<>();
        edges.forEach((id, status) -> {
            if (!"200".equals(String.valueOf(status))) {
                refused.add(id);
            }
        });
        Map<String, Long> sent = traffic(keys, refused, 15);
        Files.writeString(work.resolve("burst.json"), ClusterHttp.Json.write(new LinkedHashMap<>(sent)));
        System.out.println("burst (read side stopped): " + sent);
    }

    /** Each known key's answer at every edge: one status if all edges agree, else the list. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> edgeAnswers(Map<String, Object> keys) throws Exception {
        Map<String, Object> answers = new TreeMap<>();
        for (var entry : keys.entrySet()) {
            List<Object> statuses = new ArrayList<>();
            for (String edge : EDGES) {
                statuses.add((long) edgeStatus(edge, (Map<String, Object>) entry.getValue()));
            }
            answers.put(entry.getKey(), statuses.stream().distinct().count() == 1 ? statuses.get(0) : statuses);
        }
        return answers;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readApi(Map<String, Object> state) throws Exception {
        String org = (String) state.get("organization_id");
        String owner = owner(org);
        String base = QUERY + "/api/v1/organizations/" + org;
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> items = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> list = (Map<String, Object>) ClusterHttp.Json.parse(ClusterHttp.expect(call("GET", base + "/api-keys?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8)),
                    owner, null), 200));
            items.addAll((List<Object>) list.get("data"));
            cursor = (String) list.get("next_cursor");
        } while (cursor != null);
        Map<String, Object> keys = new TreeMap<>();
        for (Object item : items) {
            Map<String, Object> view = new TreeMap<>((Map<String, Object>) item);
            VOLATILE.forEach(view::remove);
            String id = (String) view.get("id");
            Map<String, Object> history =
                    (Map<String, Object>) ClusterHttp.Json.parse(ClusterHttp.expect(call("GET", base + "/api-keys/" + id + "/history", owner, null), 200));
            view.put("history", history.get("data"));
            Map<String, Object> usage = (Map<String, Object>) ClusterHttp.Json.parse(ClusterHttp.expect(call("GET",
                            base + "/api-keys/" + id + "/usage?interval=day&from=" + Instant.now().minus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                                    + "&to=" + Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS), owner, null), 200));
            long requests = 0;
            for (Object bucket : (List<Object>) usage.get("data")) {
                requests += ((Number) ((Map<String, Object>) bucket).getOrDefault("requests", 0L)).longValue();
            }
            view.put("usage_requests_by_day", requests);
            keys.put(id, view);
        }
        out.put("keys", keys);
        out.put("databases", ClusterHttp.Json.parse(ClusterHttp.expect(call("GET", base + "/databases", owner, null), 200)));
        return out;
    }

    // ---- compare --------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    static int compare(Path work) throws Exception {
        Map<String, Object> state = (Map<String, Object>) ClusterHttp.Json.parse(Files.readString(work.resolve("keys.json")));
        Map<String, Object> before = (Map<String, Object>) ClusterHttp.Json.parse(Files.readString(work.resolve("before.json")));
        Map<String, Object> burst = Files.exists(work.resolve("burst.json"))
                ? (Map<String, Object>) ClusterHttp.Json.parse(Files.readString(work.resolve("burst.json")))
                : Map.of();
        // Expected: the snapshot, plus the burst's 200s that were only on keyledger.key-usage.
        Map<String, Object> expected = (Map<String, Object>) ClusterHttp.Json.parse(ClusterHttp.Json.write(before.get("read_api")));
        Map<String, Object> expectedKeys = (Map<String, Object>) expected.get("keys");
        burst.forEach((id, n) -> {
            Map<String, Object> view = (Map<String, Object>) expectedKeys.get(id);
            long add = ((Number) n).longValue();
            view.put("usage_count", ((Number) view.get("usage_count")).longValue() + add);
            view.put("usage_requests_by_day", ((Number) view.get("usage_requests_by_day")).longValue() + add);
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(ClusterHttp.env("DRILL_WAIT_S", "300"))).toNanos();
        Map<String, Object> after = null;
        List<String> differences = List.of("not read yet");
        while (System.nanoTime() < deadline) {
            try {
                after = readApi(state);
                differences = differences("read_api", expected, after);
                if (differences.isEmpty()) {
                    break;
                }
            } catch (Exception e) {
                differences = List.of("read API not answering yet: " + e.getMessage());
            }
            Thread.sleep(5000);
        }
        Map<String, Object> edgesAfter = edgeAnswers((Map<String, Object>) state.get("keys"));
        List<String> all = new ArrayList<>(differences);
        all.addAll(differences("edges", before.get("edges"), edgesAfter));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("read_api", after);
        result.put("edges", edgesAfter);
        Files.writeString(work.resolve("after.json"), ClusterHttp.Json.write(result));
        Files.writeString(work.resolve("expected.json"), ClusterHttp.Json.write(Map.of("read_api", expected, "edges", before.get("edges"))));
        long keys = expectedKeys.size();
        long revoked = ((Map<String, Object>) before.get("edges")).values().stream().filter(s -> !"200".equals(String.valueOf(s))).count();
        if (all.isEmpty()) {
            System.out.println("restored platform matches: " + keys + " keys (list, history, usage), "
                    + revoked + " refused keys still refused by every edge, the others accepted");
            return 0;
        }
        System.out.println("restored platform DIFFERS (" + all.size() + " differences):");
        all.stream().limit(40).forEach(d -> System.out.println("  " + d));
        return 1;
    }

    @SuppressWarnings("unchecked")
    static List<String> differences(String path, Object expected, Object actual) {
        List<String> out = new ArrayList<>();
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            Set<Object> names = new java.util.TreeSet<>(java.util.Comparator.comparing(String::valueOf));
            names.addAll(e.keySet());
            names.addAll(a.keySet());
            for (Object name : names) {
                out.addAll(differences(path + "." + name, e.get(name), a.get(name)));
            }
        } else if (expected instanceof List<?> e && actual instanceof List<?> a) {
            if (e.size() != a.size()) {
                out.add(path + ": " + e.size() + " items before, " + a.size() + " after");
            }
            for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
                out.addAll(differences(path + "[" + i + "]", e.get(i), a.get(i)));
            }
        } else if (!String.valueOf(expected).equals(String.valueOf(actual))) {
            out.add(path + ": " + expected + " before, " + actual + " after");
        }
        return out;
    }

    // ---- helpers --------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    static int edgeStatus(String edge, Map<String, Object> key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(edge + "/_keyledger/auth"))
                .header("X-API-Key", (String) key.get("key"))
                .GET();
        if (!((String) key.get("origin")).isEmpty()) {
            request.header("Origin", (String) key.get("origin"));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    static String token(String body) throws Exception {
        return ClusterHttp.token(HTTP, IDP, body);
    }

    static HttpResponse<String> call(String method, String url, String bearer, String body)
            throws IOException, InterruptedException {
        return ClusterHttp.call(HTTP, Duration.ofSeconds(15), method, url, bearer, body);
    }

    static String owner(String org) throws Exception {
        return token("{\"subject\":\"drill-owner\",\"organization_id\":\"" + org + "\",\"roles\":[\"org_admin\"]}");
    }
}
