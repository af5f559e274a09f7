package dev.keyledger.query.organizationusage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Latency of {@code GET .../usage} for an organization with many keys, beside another organization
 * of the same size: N keys, each with 24 hour buckets and 30 day buckets, written straight into the
 * usage tables. Logs p50 and max of 20 requests per call and the plans of the two statements. Runs
 * only when asked:
 *
 * <pre>
 * ./mvnw -B -ntp -pl query-service verify -Dtest=OrganizationUsageBenchmarkIntegrationTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dkeyledger.benchmark.orgusage.keys=10000
 * </pre>
 */
@EnabledIfSystemProperty(named = "keyledger.benchmark.orgusage.keys", matches = "\\d+")
class OrganizationUsageBenchmarkIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final Logger LOG = LoggerFactory.getLogger(OrganizationUsageBenchmarkIntegrationTest.class);
    private static final int RUNS = 20;

    @Test
    void measuresTotalsPagesAndExports() {
        int keys = Integer.getInteger("keyledger.benchmark.orgusage.keys");
        String org = Ids.newOrganizationId();
        seed(org, keys);
        seed(Ids.newOrganizationId(), keys);
        jdbc.execute("ANALYZE key_usage");
        jdbc.execute("ANALYZE key_usage_hours");
        jdbc.execute("ANALYZE key_usage_days");
        String token = TestTokens.member(org);
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(23, ChronoUnit.HOURS);
        Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(29, ChronoUnit.DAYS);
        String base = "/api/v1/organizations/" + org + "/usage";

        measure("hour totals + first 100 keys", base + "?interval=hour&from=" + hour, token, "application/json");
        measure("hour totals only (limit=1)", base + "?interval=hour&limit=1&from=" + hour, token, "application/json");
        measure("day totals only (limit=1)", base + "?interval=day&limit=1&from=" + day, token, "application/json");
        measure("day totals + 1000 keys", base + "?interval=day&limit=1000&from=" + day, token, "application/json");
        measure("day CSV export, every key", base + "?interval=day&from=" + day, token, "text/csv");

        explain(
                "totals (day)",
                "SELECT b.bucket_start, sum(b.requests), sum(b.rejected) FROM key_usage u JOIN key_usage_days b"
                        + " ON b.key_id = u.key_id WHERE u.organization_id = '" + org + "' AND b.bucket_start >= '"
                        + day + "' AND b.bucket_start < now() GROUP BY b.bucket_start ORDER BY b.bucket_start");
        explain(
                "keys page (day, limit 100)",
                "SELECT u.key_id, sum(b.requests), sum(b.rejected) FROM key_usage u JOIN key_usage_days b"
                        + " ON b.key_id = u.key_id WHERE u.organization_id = '" + org + "' AND b.bucket_start >= '"
                        + day + "' AND b.bucket_start < now() AND u.key_id > '' GROUP BY u.key_id ORDER BY u.key_id"
                        + " LIMIT 101");
    }

    private void seed(String org, int keys) {
        String prefix = "key_" + org.substring(4);
        jdbc.update(
                "INSERT INTO key_usage (key_id, organization_id, usage_count, rejected_count, last_used_at)"
                        + " SELECT ? || lpad(k::text, 8, '0'), ?, 100, 1, now() FROM generate_series(1, ?) k",
                prefix,
                org,
                keys);
        jdbc.update(
                "INSERT INTO key_usage_hours (key_id, bucket_start, requests, rejected)"
                        + " SELECT ? || lpad(k::text, 8, '0'), date_trunc('hour', now()) - h * interval '1 hour',"
                        + " k % 7 + 1, k % 2 FROM generate_series(1, ?) k, generate_series(0, 23) h",
                prefix, keys);
        jdbc.update(
                "INSERT INTO key_usage_days (key_id, bucket_start, requests, rejected)"
                        + " SELECT ? || lpad(k::text, 8, '0'), date_trunc('day', now()) - d * interval '1 day',"
                        + " k % 13 + 1, k % 3 FROM generate_series(1, ?) k, generate_series(0, 29) d",
                prefix, keys);
    }

    private void measure(String name, String path, String token, String accept) {
        List<Long> micros = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i < RUNS + 2; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = get(path, token, accept);
            long took = (System.nanoTime() - start) / 1_000;
            if (i < 2) {
                // Warm-up (the first request of a context also fetches the test JWKS).
                continue;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            bytes = response.body().length();
            micros.add(took);
        }
        Collections.sort(micros);
        LOG.info(
                "Organization usage benchmark: {}: p50 {} ms, max {} ms over {} requests, {} bytes",
                name,
                micros.get(micros.size() / 2) / 1000.0,
                micros.getLast() / 1000.0,
                RUNS,
                bytes);
    }

    private void explain(String name, String sql) {
        List<String> plan = jdbc.queryForList("EXPLAIN (ANALYZE, BUFFERS) " + sql, String.class);
        LOG.info("Organization usage benchmark: plan of {}:\n{}", name, String.join("\n", plan));
    }
}
