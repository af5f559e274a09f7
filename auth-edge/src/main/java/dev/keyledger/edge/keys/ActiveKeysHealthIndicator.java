package dev.keyledger.edge.keys;

import java.time.Clock;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the active-key table, part of the readiness group: {@code UP} once caught up with the
 * changelog and while it is fresh; {@code OUT_OF_SERVICE} before that and when the oldest partition
 * heartbeat is older than the staleness bound, or some partition has had none (key checks then
 * answer 503). The details name the oldest partition and its age, so an operator sees which part of
 * the read side stopped.
 */
public final class ActiveKeysHealthIndicator implements HealthIndicator {

    private final ActiveKeyTable table;
    private final ChangelogState state;
    private final Clock clock;

    public ActiveKeysHealthIndicator(ActiveKeyTable table, ChangelogState state, Clock clock) {
        this.table = table;
        this.state = state;
        this.clock = clock;
    }

    @Override
    public Health health() {
        ChangelogState.Freshness freshness = state.freshness(clock.millis());
        Health.Builder health = freshness.caughtUp() && !freshness.stale() ? Health.up() : Health.outOfService();
        health.withDetail("caught_up", freshness.caughtUp())
                .withDetail("stale", freshness.stale())
                .withDetail("staleness_bound_ms", state.stalenessBoundMillis())
                .withDetail("partitions", freshness.partitions())
                .withDetail("partitions_without_heartbeat", freshness.withoutHeartbeat());
        if (freshness.oldestPartition() >= 0) {
            health.withDetail("oldest_partition", freshness.oldestPartition());
        }
        if (freshness.oldestAgeMillis() >= 0) {
            health.withDetail("oldest_heartbeat_age_ms", freshness.oldestAgeMillis());
        }
        return health.withDetail("keys", table.size()).build();
    }
}
