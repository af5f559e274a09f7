package dev.keyledger.query.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.usage.UsageOutcome;
import dev.keyledger.query.support.DatabaseFaults;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.UsageEvents;
import dev.keyledger.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The usage projection counts every record exactly once across an abrupt stop: the consumer's
 * polls write their rows and then fail before the commit (the database refuses the positions, as a
 * crash between the rows and the commit would leave them), it is stopped in that state, started
 * again, and the counters and every bucket equal what was sent.
 */
class UsageExactlyOnceIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final UsageOutcome[] REFUSALS = {
        UsageOutcome.RATE_LIMITED, UsageOutcome.FORBIDDEN, UsageOutcome.UNAVAILABLE
    };

    @Autowired
    UsageProjectionRunner runner;

    @Autowired
    MeterRegistry registry;

    @AfterEach
    void restartIfStopped() {
        if (!runner.isRunning()) {
            runner.start();
        }
    }

    /** What the tables must hold for one key. */
    static final class Expected {
        long accepted;
        long rejected;
        Instant lastUsed;
        final Map<Instant, long[]> minutes = new HashMap<>();
        final Map<Instant, long[]> hours = new HashMap<>();
        final Map<Instant, long[]> days = new HashMap<>();
    }

    @Test
    void aConsumerStoppedAbruptlyMidStreamCountsEveryRecordOnceAfterRestart() {
        String org = Ids.newOrganizationId();
        List<String> keys = newKeys(50);
        Map<String, Expected> expected = new HashMap<>();
        Instant base = Instant.now().minus(Duration.ofHours(5)).truncatedTo(ChronoUnit.MINUTES);
        int[] sequence = {0};
        awaitUsageCounted();

        try (UsageEvents usage = new UsageEvents(TestInfrastructure.kafkaBootstrapServers())) {
            send(usage, org, keys, expected, base, sequence, 40_000);
            double failuresBefore =
                    registry.get("keyledger_usage_failures").counter().count();
            try (DatabaseFaults.Fault crash =
                    DatabaseFaults.failWrites(jdbc, "usage_offsets", "true", DatabaseFaults.CONNECTION_FAILURE)) {
                // Records keep arriving, so the consumer stops with a poll written but not committed.
                send(usage, org, keys, expected, base, sequence, 40_000);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> registry.get("keyledger_usage_failures")
                                        .counter()
                                        .count()
                                > failuresBefore);
                runner.stop();
            }
            assertThat(runner.isRunning()).isFalse();

            long counted = jdbc.queryForObject(
                    "SELECT coalesce(sum(usage_count + rejected_count), 0) FROM key_usage WHERE organization_id = ?",
                    Long.class,
                    org);
            assertThat(counted).as("records counted before the crash").isLessThan(80_000);
            LoggerFactory.getLogger(UsageExactlyOnceIntegrationTest.class)
                    .info("Crashed mid-stream: {} of 80000 records committed before the crash", counted);
            Map<Integer, Long> end = endOffsets(Topics.KEY_USAGE);
            Map<Integer, Long> stored = usageOffsets();
            assertThat(end.entrySet())
                    .as("the stored positions stop short of the end")
                    .anyMatch(e -> stored.getOrDefault(e.getKey(), 0L) < e.getValue());

            runner.start();
            send(usage, org, keys, expected, base, sequence, 20_000);
        }
        awaitUsageCounted(Duration.ofSeconds(120));

        long acceptedSent =
                expected.values().stream().mapToLong(e -> e.accepted).sum();
        assertThat(jdbc.queryForObject(
                        "SELECT sum(usage_count) FROM key_usage WHERE organization_id = ?", Long.class, org))
                .isEqualTo(acceptedSent);
        for (String key : keys) {
            Expected want = expected.get(key);
            Map<String, Object> row = jdbc.queryForMap(
                    "SELECT usage_count, rejected_count, last_used_at FROM key_usage WHERE key_id = ?", key);
            assertThat(((Number) row.get("usage_count")).longValue()).as(key).isEqualTo(want.accepted);
            assertThat(((Number) row.get("rejected_count")).longValue()).as(key).isEqualTo(want.rejected);
            assertThat(((java.sql.Timestamp) row.get("last_used_at")).toInstant())
                    .isEqualTo(want.lastUsed);
            assertThat(buckets("key_usage_minutes", key))
                    .as("minutes of " + key)
                    .isEqualTo(flatten(want.minutes));
            assertThat(buckets("key_usage_hours", key)).as("hours of " + key).isEqualTo(flatten(want.hours));
            assertThat(buckets("key_usage_days", key)).as("days of " + key).isEqualTo(flatten(want.days));
        }
    }

    /**
     * A backlog is written in transactions that each join several full polls (64 reports) up to
     * {@code keyledger.usage.max-poll-records}, and still counts every request once.
     */
    @Test
    void aBacklogIsWrittenInTransactionsOfSeveralPollsAndCountedOnce() {
        String org = Ids.newOrganizationId();
        List<String> keys = newKeys(20);
        Map<String, Expected> expected = new HashMap<>();
        Instant base = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES);
        int[] sequence = {0};
        awaitUsageCounted();
        double reportsBefore = registry.get("keyledger_usage_reports").counter().count();
        long transactionsBefore = writeTransactions();
        runner.stop();
        int reports = 1_000; // one row each
        try (UsageEvents usage = new UsageEvents(TestInfrastructure.kafkaBootstrapServers())) {
            send(usage, org, keys, expected, base, sequence, reports);
        }
        runner.start();
        awaitUsageCounted();

        double counted = registry.get("keyledger_usage_reports").counter().count() - reportsBefore;
        long transactions = writeTransactions() - transactionsBefore;
        assertThat(counted).isEqualTo(reports);
        // One transaction per poll of 64 would take at least 16.
        assertThat(transactions)
                .as("transactions for %d reports", reports)
                .isPositive()
                .isLessThan(reports / 64);
        for (String key : keys) {
            assertThat(jdbc.queryForObject("SELECT usage_count FROM key_usage WHERE key_id = ?", Long.class, key))
                    .as(key)
                    .isEqualTo(expected.get(key).accepted);
            assertThat(buckets("key_usage_minutes", key))
                    .as("minutes of " + key)
                    .isEqualTo(flatten(expected.get(key).minutes));
        }
    }

    private static List<String> newKeys(int count) {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            keys.add(Ids.newKeyId());
        }
        return keys;
    }

    private long writeTransactions() {
        return registry.get("keyledger_usage_transaction_phase")
                .tag("phase", "write")
                .timer()
                .count();
    }

    private static void send(
            UsageEvents usage,
            String org,
            List<String> keys,
            Map<String, Expected> expected,
            Instant base,
            int[] sequence,
            int count) {
        for (int i = 0; i < count; i++) {
            int n = sequence[0]++;
            String key = keys.get(n % keys.size());
            // 200 ms apart: the stream spans hours, hence many minute and several hour buckets.
            Instant at = base.plusMillis(200L * n);
            UsageOutcome outcome = n % 7 == 3 ? REFUSALS[(n / 7) % REFUSALS.length] : UsageOutcome.ACCEPTED;
            usage.send(UsageEvents.event(org, key, at, outcome));
            Expected want = expected.computeIfAbsent(key, k -> new Expected());
            boolean accepted = outcome == UsageOutcome.ACCEPTED;
            if (accepted) {
                want.accepted++;
                if (want.lastUsed == null || at.isAfter(want.lastUsed)) {
                    want.lastUsed = at;
                }
            } else {
                want.rejected++;
            }
            count(want.minutes, at.truncatedTo(ChronoUnit.MINUTES), accepted);
            count(want.hours, at.truncatedTo(ChronoUnit.HOURS), accepted);
            count(want.days, at.truncatedTo(ChronoUnit.DAYS), accepted);
        }
        usage.flush();
    }

    private static void count(Map<Instant, long[]> buckets, Instant start, boolean accepted) {
        buckets.computeIfAbsent(start, s -> new long[2])[accepted ? 0 : 1]++;
    }

    private static Map<Instant, List<Long>> flatten(Map<Instant, long[]> buckets) {
        Map<Instant, List<Long>> result = new HashMap<>();
        buckets.forEach((start, counts) -> result.put(start, List.of(counts[0], counts[1])));
        return result;
    }

    private Map<Instant, List<Long>> buckets(String table, String key) {
        Map<Instant, List<Long>> result = new HashMap<>();
        jdbc.query(
                "SELECT bucket_start, requests, rejected FROM " + table + " WHERE key_id = ?",
                rs -> {
                    result.put(
                            rs.getObject(1, OffsetDateTime.class).toInstant(), List.of(rs.getLong(2), rs.getLong(3)));
                },
                key);
        return result;
    }
}
