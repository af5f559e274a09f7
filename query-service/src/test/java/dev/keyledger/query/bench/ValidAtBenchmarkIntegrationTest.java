package dev.keyledger.query.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Answer time of {@code valid_at} for an organization with {@code keys} keys and about
 * {@code events} events, beside a second organization of the same size. The temporal projection's
 * tables are seeded directly (what the projection writes for that history, not through the API or
 * the topic): per organization every key issued, 97 renames per key (at 10,000 keys), a fifth of
 * the keys revoked near the end, 9,000 plan changes and 9,000 origin changes over 20 databases. Then
 * {@code runs} requests per case at an early, a middle and a late instant: the first page (100),
 * a page of 1000, a page by name, one key. Writes p50/p99/max per case (and this JVM's garbage
 * collections during the case) to {@code target/benchmark-valid-at.txt} with the plan of the page
 * statement; the target (p99 under 50 ms) is judged on the default request, the first page of 100,
 * over the three instants, on a line of its own; the other cases are reported beside it. Fails if a case
 * measured nothing or answered no key. Runs only when asked (bench/valid-at-benchmark.sh).
 */
@EnabledIfSystemProperty(named = "keyledger.benchmark.validat.keys", matches = "\\d+")
class ValidAtBenchmarkIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final int DATABASES = 20;
    private static final int PLAN_CHANGES = 9_000;
    private static final int ORIGIN_CHANGES_PER_DATABASE = 450;

    private final List<String> report = new ArrayList<>();

    @Test
    void measuresPagesAndOneKeyAtEarlyMiddleAndLateInstants() throws IOException {
        int keys = Integer.getInteger("keyledger.benchmark.validat.keys");
        int renames = Integer.getInteger("keyledger.benchmark.validat.renames", 97);
        int runs = Integer.getInteger("keyledger.benchmark.validat.runs", 200);
        // One second per event, ending an hour ago: every instant asked is in the past.
        long span = (long) keys * (renames + 3);
        Instant base =
                Instant.now().minus(1, ChronoUnit.HOURS).minusSeconds(span).truncatedTo(ChronoUnit.SECONDS);
        String org = Ids.newOrganizationId();
        long seeded = seed(org, keys, renames, base);
        long other = seed(Ids.newOrganizationId(), keys, renames, base);
        jdbc.execute("VACUUM ANALYZE api_key_versions");
        jdbc.execute("VACUUM ANALYZE organization_versions");
        jdbc.execute("VACUUM ANALYZE database_versions");
        jdbc.execute("ANALYZE api_keys");
        line(String.format(
                "seeded: organization %s with %d keys and %d events (versions), a second organization with %d",
                org, keys, seeded, other));
        line("load average at start: " + loadAverage());

        String token = TestTokens.member(org);
        String list = "/api/v1/organizations/" + org + "/api-keys?valid_at=";
        String someKey = keyId(org, keys / 2 + 1);
        List<Instant> instants = List.of(
                base.plusSeconds(keys + keys / 2),
                base.plusSeconds(span / 2 + 7),
                base.plusSeconds((long) keys * (renames + 1) + keys / 2));
        List<String> names = List.of("early", "middle", "late");
        List<Long> all = new ArrayList<>();
        List<Long> firstPages = new ArrayList<>();
        for (int i = 0; i < instants.size(); i++) {
            String at = instants.get(i).toString();
            String name = names.get(i);
            List<Long> firstPage = measure(name + ": first page (limit 100)", list + at, token, runs);
            firstPages.addAll(firstPage);
            all.addAll(firstPage);
            all.addAll(measure(name + ": page of 1000", list + at + "&limit=1000", token, runs / 4));
            all.addAll(measure(name + ": page by name (limit 100)", list + at + "&sort=name", token, runs));
            all.addAll(measure(
                    name + ": one key",
                    "/api/v1/organizations/" + org + "/api-keys/" + someKey + "?valid_at=" + at,
                    token,
                    runs));
        }
        Collections.sort(all);
        Collections.sort(firstPages);
        double target = percentile(firstPages, 99);
        // The target of issue 12 is for the default request (the first page of 100, created_at
        // order); the other cases are reported beside it, not judged against it.
        line(String.format(
                "TARGET (default request: first page of 100, early+middle+late instants): %d requests, p50 %.2f"
                        + " ms, p99 %.2f ms, max %.2f ms: p99 < 50 ms %s",
                firstPages.size(),
                percentile(firstPages, 50),
                target,
                firstPages.getLast() / 1000.0,
                target < 50 ? "MET" : "NOT MET"));
        line(String.format(
                "all cases (reported, not the target): %d requests, p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                all.size(), percentile(all, 50), percentile(all, 99), all.getLast() / 1000.0));
        explain(org, instants.get(2));
        line("load average at end: " + loadAverage());
        Path out = Path.of("target", "benchmark-valid-at.txt");
        Files.write(out, report);
        assertThat(all).as("measured requests").isNotEmpty();
    }

    private List<Long> measure(String name, String path, String token, int runs) {
        List<Long> micros = new ArrayList<>();
        byte[] last = null;
        long[] gcBefore = null;
        for (int i = 0; i < runs + 5; i++) {
            if (i == 5) {
                gcBefore = gc();
            }
            long start = System.nanoTime();
            HttpResponse<byte[]> response = fetch(path, token);
            long took = (System.nanoTime() - start) / 1_000;
            if (response.statusCode() != 200) {
                assertThat(response.statusCode())
                        .as(new String(response.body(), StandardCharsets.UTF_8))
                        .isEqualTo(200);
            }
            if (i < 5) {
                // Warm-up: the first requests also fetch the test JWKS and fill the caches.
                continue;
            }
            micros.add(took);
            last = response.body();
        }
        long[] gcAfter = gc();
        // Parsed once, after the case: a JSON tree of every answer was the largest allocation of
        // this JVM (which also runs the service), so its garbage collections landed in the tail.
        int keys = count(last);
        assertThat(keys).as(name + ": keys answered").isPositive();
        Collections.sort(micros);
        line(String.format(
                "%s: %d requests, %d keys answered, p50 %.2f ms, p99 %.2f ms, max %.2f ms"
                        + " (this JVM meanwhile: %d GCs, %d ms in GC)",
                name,
                micros.size(),
                keys,
                percentile(micros, 50),
                percentile(micros, 99),
                micros.getLast() / 1000.0,
                gcAfter[0] - gcBefore[0],
                gcAfter[1] - gcBefore[1]));
        return micros;
    }

    private HttpResponse<byte[]> fetch(String path, String token) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                            .header("Accept", "application/json")
                            .header("Authorization", "Bearer " + token)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Collections and milliseconds spent in them by every collector of this JVM so far. */
    private static long[] gc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, collector.getCollectionCount());
            millis += Math.max(0, collector.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static int count(byte[] body) {
        try {
            JsonNode json = KeyledgerJson.mapper().readTree(body);
            return json.has("data") ? json.path("data").size() : json.has("id") ? 1 : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1000.0;
    }

    private void explain(String org, Instant at) {
        String t = "'" + at.atOffset(ZoneOffset.UTC) + "'::timestamptz";
        List<String> plan = jdbc.queryForList(
                "EXPLAIN (ANALYZE, BUFFERS) SELECT v.key_id FROM api_key_versions v WHERE v.organization_id = '"
                        + org + "' AND v.status = 'active' AND tstzrange(v.valid_from, GREATEST(v.valid_from,"
                        + " LEAST(v.valid_to, v.expires_at)), '[)') @> " + t
                        + " ORDER BY v.created_at, v.key_id LIMIT 101",
                String.class);
        line("plan of the page statement (late instant):");
        plan.forEach(row -> line("  " + row));
    }

    private void line(String text) {
        report.add(text);
        System.out.println("valid_at benchmark: " + text);
    }

    private static String keyId(String org, int k) {
        return "key_" + org.substring(4, 20) + String.format("%010d", k);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Writes what the temporal projection holds after this history: key k issued at base + k s,
     * rename j at base + (j * keys + k) s, every fifth key revoked at base + ((renames + 1) * keys +
     * k) s; plan change i at base + i * 100 + 50 s; origin change i of database d at base + i * 2000 +
     * d s. Returns the number of events (versions) written.
     */
    private long seed(String org, int keys, int renames, Instant base) {
        String prefix = "key_" + org.substring(4, 20);
        String dbPrefix = "db_" + org.substring(4, 20);
        String b = "'" + base.atOffset(ZoneOffset.UTC) + "'::timestamptz";
        int last = renames + 1;
        String start = "(" + b + " + interval '1 second' * (CASE WHEN j = 0 THEN k WHEN j = " + last + " THEN " + last
                + "::bigint * " + keys + " + k ELSE j::bigint * " + keys + " + k END))";
        String next = "(" + b + " + interval '1 second' * (CASE WHEN j + 1 = " + last + " THEN " + last + "::bigint * "
                + keys + " + k ELSE (j + 1)::bigint * " + keys + " + k END))";
        long versions = jdbc.update(
                "INSERT INTO api_key_versions (key_id, sequence, organization_id, database_id, type, name,"
                        + " public_key, last_four, created_at, created_by, expires_at, replaces, replaced_by, status,"
                        + " valid_from, valid_to)"
                        + " SELECT ? || lpad(k::text, 10, '0'), j, ?,"
                        + " CASE WHEN k % 2 = 0 THEN ? || lpad((k % " + DATABASES + ")::text, 10, '0') END,"
                        + " CASE WHEN k % 2 = 0 THEN 'public' ELSE 'secret' END, 'key ' || k || ' name ' || j,"
                        + " CASE WHEN k % 2 = 0 THEN 'pk_bench' || k END, lpad((k % 10000)::text, 4, '0'),"
                        + " " + b + " + interval '1 second' * k, 'bench', NULL, NULL, NULL,"
                        + " CASE WHEN j = " + last + " THEN 'revoked' ELSE 'active' END, " + start + ","
                        + " CASE WHEN j = " + last + " OR (j = " + renames + " AND k % 5 <> 0) THEN 'infinity'"
                        + " ELSE " + next + " END"
                        + " FROM generate_series(1, ?) k, generate_series(0, ?) j WHERE j < ? OR k % 5 = 0",
                prefix,
                org,
                dbPrefix,
                keys,
                last,
                last);
        jdbc.update(
                "INSERT INTO api_keys (id, organization_id, database_id, type, name, key_hash, public_key, last_four,"
                        + " created_at, created_by, expires_at, replaces, replaced_by, status, revoked_at, revoked_by,"
                        + " last_sequence) SELECT key_id, organization_id, database_id, type, name, md5(key_id),"
                        + " public_key, last_four, created_at, created_by, NULL, NULL, NULL, status,"
                        + " CASE WHEN status = 'revoked' THEN valid_from END, NULL, sequence FROM api_key_versions"
                        + " WHERE organization_id = ? AND valid_to = 'infinity'",
                org);
        long plans = jdbc.update(
                "INSERT INTO organization_versions (organization_id, sequence, name, plan, requests_per_minute,"
                        + " requests_per_day, valid_from, valid_to)"
                        + " SELECT ?, i, 'bench', CASE WHEN i % 2 = 0 THEN 'starter' ELSE 'pro' END,"
                        + " CASE WHEN i % 2 = 0 THEN 60 ELSE 600 END, CASE WHEN i % 2 = 0 THEN 10000 ELSE 100000 END,"
                        + " CASE WHEN i = 0 THEN " + b + " ELSE " + b + " + interval '1 second' * (i * 100 + 50) END,"
                        + " CASE WHEN i = ? THEN 'infinity' ELSE " + b
                        + " + interval '1 second' * ((i + 1) * 100 + 50) END"
                        + " FROM generate_series(0, ?) i",
                org,
                PLAN_CHANGES,
                PLAN_CHANGES);
        long origins = jdbc.update(
                "INSERT INTO database_versions (database_id, sequence, organization_id, name, allowed_origins,"
                        + " valid_from, valid_to)"
                        + " SELECT ? || lpad(d::text, 10, '0'), i, ?, 'db ' || d,"
                        + " ARRAY['https://app' || i || '.example.com', 'https://*.d' || d || '.example.com'],"
                        + " CASE WHEN i = 0 THEN " + b + " ELSE " + b + " + interval '1 second' * (i * 2000 + d) END,"
                        + " CASE WHEN i = ? THEN 'infinity' ELSE " + b
                        + " + interval '1 second' * ((i + 1) * 2000 + d) END"
                        + " FROM generate_series(0, ?) d, generate_series(0, ?) i",
                dbPrefix,
                org,
                ORIGIN_CHANGES_PER_DATABASE,
                DATABASES - 1,
                ORIGIN_CHANGES_PER_DATABASE);
        return versions + plans + origins;
    }
}
