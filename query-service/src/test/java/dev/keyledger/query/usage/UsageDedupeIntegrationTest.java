package dev.keyledger.query.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.usage.UsageCount;
import dev.keyledger.contracts.usage.UsageOutcome;
import dev.keyledger.contracts.usage.UsageReport;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.UsageEvents;
import dev.keyledger.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An edge that cannot tell whether the broker took its reports sends the same reports (same edge
 * instance, sequence and rows) again: the projection counts them once, whether the copy arrives in
 * a later poll or in the same one, and keeps the highest sequence per edge instance and partition.
 */
class UsageDedupeIntegrationTest extends QueryServiceIntegrationTestBase {

    @Autowired
    MeterRegistry registry;

    @Test
    void aReportSentAgainIsCountedOnce() {
        String org = Ids.newOrganizationId();
        String key = Ids.newKeyId();
        Instant at = Instant.now().minusSeconds(30);
        UsageCount row = new UsageCount(
                key, org, at.getEpochSecond() / 60 * 60, 7, 2, 1, 0, at.toEpochMilli(), at.toEpochMilli());
        try (UsageEvents usage = new UsageEvents(TestInfrastructure.kafkaBootstrapServers())) {
            usage.send(List.of(row));
            usage.send(List.of(row));
            usage.flush();
            awaitUsageCounted();
            assertThat(counts(key)).containsExactly(14L, 6L);

            // Both again, as an edge restarted after a kill -9 between the ack and its note of it
            // sends them: already applied, skipped.
            for (UsageReport report : usage.sent()) {
                usage.sendReport(key, report);
            }
            // And a copy inside the same poll as a new report.
            UsageCount later =
                    new UsageCount(key, org, row.minute(), 1, 0, 0, 0, at.toEpochMilli() + 1, at.toEpochMilli() + 1);
            usage.send(List.of(later));
            usage.sendReport(key, usage.sent().get(2));
            usage.flush();
            awaitUsageCounted();

            assertThat(counts(key)).containsExactly(15L, 6L);
            assertThat(jdbc.queryForObject(
                            "SELECT sum(requests) FROM key_usage_minutes WHERE key_id = ?", Long.class, key))
                    .isEqualTo(15L);
            assertThat(jdbc.queryForObject(
                            "SELECT max(last_sequence) FROM usage_edge_sequences WHERE edge_instance = ?",
                            Long.class,
                            usage.instance()))
                    .isEqualTo(3L);
            assertThat(metric("keyledger_usage_duplicate_reports_total")).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void sequencesAreKeptPerEdgeInstance() {
        String org = Ids.newOrganizationId();
        String key = Ids.newKeyId();
        Instant at = Instant.now().minusSeconds(5);
        try (UsageEvents one = new UsageEvents(TestInfrastructure.kafkaBootstrapServers());
                UsageEvents two = new UsageEvents(TestInfrastructure.kafkaBootstrapServers())) {
            one.send(UsageEvents.event(org, key, at, UsageOutcome.ACCEPTED));
            two.send(UsageEvents.event(org, key, at, UsageOutcome.ACCEPTED));
            one.flush();
            two.flush();
        }
        awaitUsageCounted();
        assertThat(counts(key)).containsExactly(2L, 0L);
    }

    private List<Long> counts(String key) {
        return jdbc.queryForList("SELECT usage_count, rejected_count FROM key_usage WHERE key_id = ?", key).stream()
                .flatMap(row -> List.of(
                        ((Number) row.get("usage_count")).longValue(), ((Number) row.get("rejected_count")).longValue())
                        .stream())
                .toList();
    }

    private double metric(String name) {
        return registry.find(name.replace("_total", "")).counter().count();
    }
}
