package dev.keyledger.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * An audit log of 100,000 entries (about 100 MB of NDJSON) streamed with a 384 MB test heap: the
 * live heap measured in the middle of the stream stays far below the size of the log, which it
 * could not if the server materialized the result.
 */
class AuditLogStreamingIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final int ENTRIES = 100_000;
    private static final long MIB = 1024 * 1024;

    @Test
    void streamsAHundredThousandEntriesWithFlatMemory() throws Exception {
        String org = Ids.newOrganizationId();
        String padding = "x".repeat(900);
        jdbc.update(
                "INSERT INTO audit_log (aggregate_id, sequence, event_id, organization_id, aggregate_type, type,"
                        + " occurred_at, actor_subject, actor_ip, actor_user_agent, details)"
                        + " SELECT 'key_bulk_' || organization || '_' || (i / 10), i % 10, 'evt_bulk_' || organization || '_' || i, organization, 'api_key', 'api_key.renamed',"
                        + " timestamptz '2026-01-01T00:00:00Z' + i * interval '1 second', 'alice', '203.0.113.7',"
                        + " 'portal/1.0', json_build_object('name', 'key ' || i, 'note', ?::text)::text"
                        + " FROM (SELECT ?::text AS organization) AS o, generate_series(0, ?) AS i",
                padding, org, ENTRIES - 1);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();

        HttpResponse<InputStream> response = HTTP.send(
                HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/api/v1/organizations/" + org + "/audit-log"))
                        .header("Authorization", "Bearer " + TestTokens.member(org))
                        .header("Accept", "application/x-ndjson")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);

        long lines = 0;
        long bytes = 0;
        long midStreamGrowth = -1;
        long midStreamUsed = -1;
        String last = null;
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines++;
                bytes += line.length() + 1;
                last = line;
                if (lines == ENTRIES / 2) {
                    System.gc();
                    midStreamUsed = memory.getHeapMemoryUsage().getUsed();
                    midStreamGrowth = midStreamUsed - baseline;
                }
            }
        }

        System.out.printf(
                "Streamed %d NDJSON entries (%d MiB); live heap after GC: %d MiB before the request, %d MiB"
                        + " mid-stream%n",
                lines, bytes / MIB, baseline / MIB, midStreamUsed / MIB);
        assertThat(lines).isEqualTo(ENTRIES);
        assertThat(bytes).isGreaterThan(90 * MIB);
        assertThat(midStreamGrowth).isLessThan(32 * MIB);
        assertThat(KeyledgerJson.mapper().readTree(last).path("sequence").asLong())
                .isEqualTo(9);
    }
}
