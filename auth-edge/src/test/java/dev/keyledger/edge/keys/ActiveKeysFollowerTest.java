package dev.keyledger.edge.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.kafka.ChangelogHeartbeat;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.edge.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Heartbeat records feed the changelog state and never the key table; malformed ones are counted. */
class ActiveKeysFollowerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ActiveKeyTable table = new ActiveKeyTable();
    private final ChangelogState state =
            new ChangelogState(clock, Duration.ofSeconds(30).toMillis());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ActiveKeysFollower follower = new ActiveKeysFollower(
            Map.of("bootstrap.servers", "127.0.0.1:1"),
            new KeysProperties(null, null, null, null, null, false, 0, null, null),
            table,
            state,
            registry);

    @Test
    void aHeartbeatRecordMakesItsPartitionFreshAndAddsNoKey() {
        state.markCaughtUp();

        follower.apply(heartbeat("heartbeat:0", new ChangelogHeartbeat(0, 2, 42, clock.instant(), "query-1")));
        follower.apply(heartbeat("heartbeat:1", new ChangelogHeartbeat(1, 2, 7, clock.instant(), "query-2")));

        assertThat(state.stale(clock.millis())).isFalse();
        assertThat(state.freshness(clock.millis()).partitions()).isEqualTo(2);
        assertThat(table.size()).isZero();
        assertThat(table.databaseCount()).isZero();
        assertThat(badRecords()).isZero();
    }

    @Test
    void malformedHeartbeatsAreSkippedAndCounted() {
        follower.apply(heartbeat("heartbeat:1", new ChangelogHeartbeat(0, 2, 42, clock.instant(), "query-1")));
        follower.apply(heartbeat("heartbeat:5", new ChangelogHeartbeat(5, 2, 42, clock.instant(), "query-1")));
        follower.apply(heartbeat("heartbeat:0", new ChangelogHeartbeat(0, 2, 42, null, "query-1")));
        follower.apply(record("heartbeat:0", "{not json".getBytes(StandardCharsets.UTF_8)));
        follower.apply(record("heartbeat:0", null));

        assertThat(badRecords()).isEqualTo(5.0);
        assertThat(state.freshness(clock.millis()).partitions()).isZero();
        assertThat(table.size()).isZero();
    }

    private double badRecords() {
        return registry.get("keyledger_edge_changelog_bad_records").counter().count();
    }

    private static ConsumerRecord<String, byte[]> heartbeat(String key, ChangelogHeartbeat heartbeat) {
        return record(key, KeyledgerJson.write(heartbeat));
    }

    private static ConsumerRecord<String, byte[]> record(String key, byte[] value) {
        return new ConsumerRecord<>(Topics.ACTIVE_KEYS, 0, 0, key, value);
    }
}
