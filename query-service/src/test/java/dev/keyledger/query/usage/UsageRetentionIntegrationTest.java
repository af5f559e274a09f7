package dev.keyledger.query.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.usage.UsageOutcome;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.UsageEvents;
import dev.keyledger.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Retention of minute (7 days) and hour (90 days) buckets, malformed records, and the metrics the
 * usage projection exports.
 */
class UsageRetentionIntegrationTest extends QueryServiceIntegrationTestBase {

    @Autowired
    UsageRetention retention;

    @Test
    void expiredBucketsAreNeitherWrittenNorKeptButDaysAndTotalsAre() {
        String org = Ids.newOrganizationId();
        String key = Ids.newKeyId();
        Instant now = Instant.now();
        Instant recent = now.minus(Duration.ofHours(1));
        Instant tenDays = now.minus(Duration.ofDays(10));
        Instant hundredDays = now.minus(Duration.ofDays(100));
        try (UsageEvents usage = new UsageEvents(TestInfrastructure.kafkaBootstrapServers())) {
            usage.send(UsageEvents.event(org, key, recent, UsageOutcome.ACCEPTED));
            usage.send(UsageEvents.event(org, key, tenDays, UsageOutcome.ACCEPTED));
            usage.send(UsageEvents.event(org, key, hundredDays, UsageOutcome.RATE_LIMITED));
            usage.flush();
        }
        awaitUsageCounted();

        assertThat(starts("key_usage_minutes", key)).containsExactly(recent.truncatedTo(ChronoUnit.MINUTES));
        assertThat(starts("key_usage_hours", key))
                .containsExactlyInAnyOrder(recent.truncatedTo(ChronoUnit.HOURS), tenDays.truncatedTo(ChronoUnit.HOURS));
        assertThat(starts("key_usage_days", key)).hasSize(3);
        assertThat(jdbc.queryForObject("SELECT usage_count FROM key_usage WHERE key_id = ?", Long.class, key))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT rejected_count FROM key_usage WHERE key_id = ?", Long.class, key))
                .isEqualTo(1);

        // Buckets written while they were young, now past their retention.
        insert("key_usage_minutes", key, now.minus(Duration.ofDays(8)).truncatedTo(ChronoUnit.MINUTES));
        insert("key_usage_hours", key, now.minus(Duration.ofDays(91)).truncatedTo(ChronoUnit.HOURS));
        assertThat(retention.purge(Instant.now())).isGreaterThanOrEqualTo(2);

        assertThat(starts("key_usage_minutes", key)).containsExactly(recent.truncatedTo(ChronoUnit.MINUTES));
        assertThat(starts("key_usage_hours", key)).hasSize(2);
        assertThat(starts("key_usage_days", key)).hasSize(3);
    }

    @Test
    void unreadableRecordsAreSkippedAndCountedWithoutStoppingTheStream() throws Exception {
        String org = Ids.newOrganizationId();
        String key = Ids.newKeyId();
        try (UsageEvents usage = new UsageEvents(TestInfrastructure.kafkaBootstrapServers())) {
            usage.send(key, "{not json".getBytes(StandardCharsets.UTF_8));
            usage.send(key, "{\"key_id\":\"only\"}".getBytes(StandardCharsets.UTF_8));
            usage.send(key, null);
            usage.send(UsageEvents.event(org, key, Instant.now(), UsageOutcome.ACCEPTED));
            usage.flush();
        }
        awaitUsageCounted();
        assertThat(jdbc.queryForObject("SELECT usage_count FROM key_usage WHERE key_id = ?", Long.class, key))
                .isEqualTo(1);
        String metrics = scrape();
        assertThat(metrics).containsPattern("(?m)^keyledger_usage_malformed_total(\\{[^}]*})? [3-9]");
    }

    @Test
    void exportsBoundedUsageMetrics() throws Exception {
        String key = Ids.newKeyId();
        try (UsageEvents usage = new UsageEvents(TestInfrastructure.kafkaBootstrapServers())) {
            usage.send(UsageEvents.event(Ids.newOrganizationId(), key, Instant.now(), UsageOutcome.FORBIDDEN));
            usage.flush();
        }
        awaitUsageCounted();
        String metrics = scrape();
        for (String series : List.of(
                "keyledger_usage_events_total{outcome=\"accepted\"",
                "keyledger_usage_events_total{outcome=\"rate_limited\"",
                "keyledger_usage_events_total{outcome=\"forbidden\"",
                "keyledger_usage_events_total{outcome=\"unavailable\"",
                "keyledger_usage_failures_total",
                "keyledger_usage_lag_seconds",
                "keyledger_usage_consumer_lag{partition=\"0\"",
                "keyledger_usage_commit_delay_seconds_bucket",
                "keyledger_usage_retention_deleted_total{interval=\"minute\"",
                "keyledger_keys_rotation_overdue{plan=\"pro\"")) {
            assertThat(metrics).contains(series);
        }
        assertThat(metrics).doesNotContain(key).doesNotContain("key_0");
    }

    private String scrape() throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://localhost:" + managementPort + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private List<Instant> starts(String table, String key) {
        return jdbc.query(
                "SELECT bucket_start FROM " + table + " WHERE key_id = ? ORDER BY bucket_start",
                (rs, row) -> rs.getObject(1, OffsetDateTime.class).toInstant(),
                key);
    }

    private void insert(String table, String key, Instant start) {
        jdbc.update(
                "INSERT INTO " + table + " (key_id, bucket_start, requests, rejected) VALUES (?, ?, 1, 0)",
                key,
                OffsetDateTime.ofInstant(start, ZoneOffset.UTC));
    }
}
