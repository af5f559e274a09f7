package dev.keyledger.edge.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.edge.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Readiness follows the table: out of service until caught up, and again once the oldest partition
 * heartbeat is older than the bound, naming that partition and its age.
 */
class ActiveKeysHealthIndicatorTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ChangelogState state =
            new ChangelogState(clock, Duration.ofSeconds(30).toMillis());
    private final ActiveKeysHealthIndicator health = new ActiveKeysHealthIndicator(new ActiveKeyTable(), state, clock);

    @Test
    void outOfServiceUntilCaughtUp() {
        state.applyHeartbeat(0, 2, clock.instant());
        state.applyHeartbeat(1, 2, clock.instant());
        assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

        state.markCaughtUp();

        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void outOfServiceWhileAPartitionHasNoHeartbeat() {
        state.applyHeartbeat(0, 2, clock.instant());
        state.markCaughtUp();

        Health missing = health.health();

        assertThat(missing.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(missing.getDetails())
                .containsEntry("stale", true)
                .containsEntry("partitions", 2)
                .containsEntry("partitions_without_heartbeat", 1)
                .containsEntry("oldest_partition", 1)
                .doesNotContainKey("oldest_heartbeat_age_ms");
    }

    @Test
    void namesTheOldestPartitionAndItsAgeOnceStaleAndRecoversWithItsNextHeartbeat() {
        state.applyHeartbeat(0, 2, clock.instant());
        state.applyHeartbeat(1, 2, clock.instant());
        state.markCaughtUp();
        clock.advance(Duration.ofSeconds(20));
        state.applyHeartbeat(0, 2, clock.instant());
        clock.advance(Duration.ofSeconds(11));

        Health stale = health.health();

        assertThat(stale.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(stale.getDetails())
                .containsEntry("stale", true)
                .containsEntry("oldest_partition", 1)
                .containsEntry("oldest_heartbeat_age_ms", 31_000L)
                .containsEntry("staleness_bound_ms", 30_000L)
                .containsEntry("partitions_without_heartbeat", 0);

        state.applyHeartbeat(1, 2, clock.instant());

        Health recovered = health.health();
        assertThat(recovered.getStatus()).isEqualTo(Status.UP);
        assertThat(recovered.getDetails())
                .containsEntry("stale", false)
                .containsEntry("oldest_partition", 0)
                .containsEntry("oldest_heartbeat_age_ms", 11_000L);
    }
}
