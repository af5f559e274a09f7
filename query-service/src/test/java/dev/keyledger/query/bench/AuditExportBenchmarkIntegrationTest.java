package dev.keyledger.query.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.audit.ExportVerifier;
import dev.keyledger.contracts.audit.JwkSet;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.organization.OrganizationCreatedEvent;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Export of an organization's audit log of N entries (query-service/bench/audit-export-benchmark.sh,
 * docs/benchmarks.md): entries 2..N seeded straight into {@code audit_log} with their seq, the
 * organization's creation (seq 1) through the broker, so the projection chains them all; then
 * the export is streamed over HTTP into a file while the heap is sampled, and the file verified
 * with the contracts verifier (the CLI's). Writes target/benchmark-audit-export.txt.
 */
@EnabledIfSystemProperty(named = "keyledger.benchmark.auditexport.entries", matches = "\\d+")
class AuditExportBenchmarkIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final long MIB = 1024 * 1024;

    private final List<String> report = new ArrayList<>();

    @Test
    void exportsAndVerifiesAMillionEntries() throws Exception {
        int entries = Integer.getInteger("keyledger.benchmark.auditexport.entries");
        String org = Ids.newOrganizationId();
        line("load average at start: " + loadAverage());
        long seedStart = System.nanoTime();
        for (int from = 2; from <= entries; from += 100_000) {
            jdbc.update(
                    "INSERT INTO audit_log (aggregate_id, sequence, event_id, organization_id, aggregate_type, type,"
                            + " occurred_at, actor_subject, actor_ip, actor_user_agent, details, seq)"
                            + " SELECT 'key_bench_' || (i / 100), i % 100, 'evt_bench_' || i, ?, 'api_key',"
                            + " 'api_key.renamed', timestamptz '2030-01-01T00:00:00Z' + i * interval '1 second',"
                            + " 'alice@example.com', '203.0.113.7', 'portal/1.0 (benchmark)',"
                            + " json_build_object('name', 'payments key ' || i)::text, i"
                            + " FROM generate_series(?, ?) AS i",
                    org, from, Math.min(entries, from + 99_999));
        }
        events.emit(new OrganizationCreatedEvent(org, "Bench", Plan.PRO, Plan.PRO.defaultLimits()), KeyEvents.ALICE);
        // No awaitProjected() here: the projection chains the seeded entries behind the creation,
        // which takes longer than its one-minute bound at 1,000,000 entries; the head wait covers it.
        await().atMost(Duration.ofMinutes(30))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> jdbc.queryForList(
                                "SELECT seq FROM audit_chain_heads WHERE organization_id = ?", Long.class, org),
                        seqs -> seqs.equals(List.of((long) entries)));
        line(String.format(
                "seeded and chained %,d entries in %.1f s (the chain: SHA-256 of each entry's JCS, in the projection)",
                entries, (System.nanoTime() - seedStart) / 1e9));
        jdbc.execute("VACUUM ANALYZE audit_log");

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        Path file = Files.createTempFile("audit-export-bench", ".ndjson");
        long peak = 0;
        long start = System.nanoTime();
        HttpResponse<InputStream> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(
                                "http://localhost:" + port + "/api/v1/organizations/" + org + "/audit-log/export"))
                        .header("Authorization", "Bearer " + TestTokens.admin(org))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        try (InputStream in = answer.body();
                OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            long nextSample = 0;
            while ((read = in.read(buffer)) > 0) {
                out.write(buffer, 0, read);
                bytes += read;
                if (bytes >= nextSample) {
                    peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                    nextSample = bytes + 16 * MIB;
                }
            }
        }
        double exportSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(answer.statusCode()).isEqualTo(200);
        line(String.format(
                "export: %,d entries, %,d MiB in %.1f s = %,.0f entries/s; heap used before %d MiB, peak sampled"
                        + " during the stream %d MiB (max heap %d MiB)",
                entries,
                bytes / MIB,
                exportSeconds,
                entries / exportSeconds,
                baseline / MIB,
                peak / MIB,
                Runtime.getRuntime().maxMemory() / MIB));

        JwkSet keys = JwkSet.parse(get("/api/v1/audit/signing-keys", null).body());
        long verifyStart = System.nanoTime();
        ExportVerifier.Result result;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            result = new ExportVerifier(keys).verify(in);
        }
        double verifySeconds = (System.nanoTime() - verifyStart) / 1e9;
        line(String.format(
                "verify (contracts ExportVerifier, in this JVM): %s in %.1f s = %,.0f entries/s",
                result.message(), verifySeconds, entries / verifySeconds));
        line("load average at end: " + loadAverage());
        Files.delete(file);
        Files.write(Path.of("target", "benchmark-audit-export.txt"), report);

        assertThat(result.verified()).as(result.message()).isTrue();
        assertThat(result.entries()).isEqualTo(entries);
    }

    private void line(String text) {
        System.out.println("[audit-export-benchmark] " + text);
        report.add(text);
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
