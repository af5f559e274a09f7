package dev.keyledger.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.kafka.ActiveKeyEntry;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.ActiveKeysView;
import dev.keyledger.query.support.DatabaseFaults;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * No event wedges the projection: values any JSON timestamp can carry are written typed, an event
 * the tables still refuse is parked after a few attempts while its partition moves on, and a
 * revocation is never merely parked: its tombstone is published whatever else failed.
 */
class UnappliableEventIntegrationTest extends QueryServiceIntegrationTestBase {

    /** Beyond PostgreSQL's timestamptz range (294276 AD): no column can hold it. */
    private static final Instant BEYOND_POSTGRES = Instant.parse("+300000-01-01T00:00:00Z");

    @Autowired
    MeterRegistry registry;

    @Test
    void anExpiryPastTheYear9999IsProjectedAndPublished() {
        String org = events.createOrganization(Plan.FREE);
        Instant farFuture = Instant.parse("+10000-01-01T00:00:00Z");
        KeyEvents.IssuedKey key = events.issue(org, null, ApiKeyType.SECRET, "far", farFuture, null);
        double parkedBefore = parked();

        awaitProjected();

        assertThat(jdbc.queryForObject(
                        "SELECT expires_at = '10000-01-01 00:00:00+00'::timestamptz FROM api_keys WHERE id = ?",
                        Boolean.class,
                        key.id()))
                .isTrue();
        assertThat(ActiveKeysView.read().get(key.hash()).map(ActiveKeyEntry::expiresAt))
                .contains(farFuture);
        assertThat(parked()).isEqualTo(parkedBefore);
    }

    @Test
    void anEventTheTablesRefuseIsParkedAndLaterEventsOfItsPartitionAreApplied() {
        String org = events.createOrganization(Plan.STARTER);
        double parkedBefore = parked();
        double failuresBefore = failures();
        KeyEvents.IssuedKey bad = events.issue(org, null, ApiKeyType.SECRET, "bad", BEYOND_POSTGRES, null);
        int partition = partitionOf(bad.id());
        List<KeyEvents.IssuedKey> later = new ArrayList<>();
        while (later.stream().filter(k -> partitionOf(k.id()) == partition).count() < 2) {
            later.add(events.issue(org, null, ApiKeyType.SECRET, "good " + later.size(), null, null));
        }
        KeyEvents.IssuedKey revokedLater = later.stream()
                .filter(k -> partitionOf(k.id()) == partition)
                .reduce((first, second) -> second)
                .orElseThrow();
        events.revoke(org, revokedLater.id());

        awaitProjected();

        Map<String, Object> row = jdbc.queryForMap(
                "SELECT topic, partition, type, sequence, error, payload, tombstone_published, parked_at"
                        + " FROM projection_parked_events WHERE aggregate_id = ?",
                bad.id());
        assertThat(row)
                .containsEntry("topic", "keyledger.key-events")
                .containsEntry("partition", partition)
                .containsEntry("type", "api_key.issued")
                .containsEntry("sequence", 0L)
                .containsEntry("tombstone_published", false);
        assertThat((String) row.get("error")).contains("out of range");
        assertThat(new String((byte[]) row.get("payload"), StandardCharsets.UTF_8))
                .contains(bad.id())
                .doesNotContain(bad.plaintext());
        assertThat(parked()).isEqualTo(parkedBefore + 1);
        assertThat(failures()).isGreaterThanOrEqualTo(failuresBefore + 3);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM api_keys WHERE id = ?", Long.class, bad.id()))
                .isZero();
        for (KeyEvents.IssuedKey key : later) {
            assertThat(jdbc.queryForObject("SELECT status FROM api_keys WHERE id = ?", String.class, key.id()))
                    .as(key.id())
                    .isEqualTo(key == revokedLater ? "revoked" : "active");
        }
        Map<String, Optional<ActiveKeyEntry>> view = ActiveKeysView.read();
        assertThat(view.get(revokedLater.hash()))
                .as("the later revocation is a tombstone")
                .isEmpty();
        later.stream()
                .filter(key -> key != revokedLater)
                .forEach(key -> assertThat(view.get(key.hash())).as(key.id()).isPresent());
    }

    @Test
    void aRevocationWhoseAuditRowFailsStillTombstonesItsKey() {
        String org = events.createOrganization(Plan.PRO);
        KeyEvents.IssuedKey key = events.issue(org, null, ApiKeyType.SECRET, "doomed", null, null);
        awaitProjected();
        assertThat(ActiveKeysView.read().get(key.hash())).isPresent();
        double parkedBefore = parked();

        try (DatabaseFaults.Fault fault = DatabaseFaults.failWrites(
                jdbc,
                "audit_log",
                "NEW.aggregate_id = '" + key.id() + "' AND NEW.type = 'api_key.revoked'",
                DatabaseFaults.DATA_ERROR)) {
            events.revoke(org, key.id());
            awaitProjected();
        }

        assertThat(ActiveKeysView.read().get(key.hash())).as("tombstone").isEmpty();
        assertThat(jdbc.queryForObject("SELECT status FROM api_keys WHERE id = ?", String.class, key.id()))
                .isEqualTo("revoked");
        assertThat(jdbc.queryForMap(
                        "SELECT type, tombstone_published FROM projection_parked_events WHERE aggregate_id = ?",
                        key.id()))
                .containsEntry("type", "api_key.revoked")
                .containsEntry("tombstone_published", true);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM audit_log WHERE aggregate_id = ? AND type = 'api_key.revoked'",
                        Long.class,
                        key.id()))
                .isZero();
        assertThat(parked()).isEqualTo(parkedBefore + 1);
    }

    @Test
    void anOutageIsRetriedAndNeverParked() {
        String org = events.createOrganization(Plan.FREE);
        double parkedBefore = parked();
        double failuresBefore = failures();
        KeyEvents.IssuedKey key;
        try (DatabaseFaults.Fault outage =
                DatabaseFaults.failWrites(jdbc, "api_keys", "true", DatabaseFaults.CONNECTION_FAILURE)) {
            key = events.issue(org, null, ApiKeyType.SECRET, "during the outage", null, null);
            // Well past the attempts after which a record at fault would be parked.
            await().atMost(Duration.ofSeconds(30)).until(() -> failures() >= failuresBefore + 5);
        }

        awaitProjected();

        assertThat(jdbc.queryForObject("SELECT status FROM api_keys WHERE id = ?", String.class, key.id()))
                .isEqualTo("active");
        assertThat(parked()).isEqualTo(parkedBefore);
        assertThat(ActiveKeysView.read().get(key.hash())).isPresent();
    }

    private static int partitionOf(String aggregateId) {
        // The producer's default partitioner for a keyed record.
        return Utils.toPositive(Utils.murmur2(aggregateId.getBytes(StandardCharsets.UTF_8))) % 3;
    }

    private double parked() {
        return registry.get("keyledger_projection_parked_events").counter().count();
    }

    private double failures() {
        return registry.get("keyledger_projection_failures").counter().count();
    }
}
