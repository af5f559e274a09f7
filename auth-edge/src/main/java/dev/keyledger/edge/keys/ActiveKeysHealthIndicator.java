package dev.keyledger.edge.keys;

import java.time.Clock;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the active-key table, part of the readiness group: {@code UP} once caught up with the
 * changelog and while in contact with it; {@code OUT_OF_SERVICE} before that and when the changelog
 * has been lost longer than the staleness bound (key checks then answer 503).
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
        long now = clock.millis();
        boolean stale = state.stale(now);
        Health.Builder health = state.caughtUp() && !stale ? Health.up() : Health.outOfService();
        return health.withDetail("caught_up", state.caughtUp())
                .withDetail("stale", stale)
                .withDetail("changelog_age_ms", state.ageMillis(now))
                .withDetail("staleness_bound_ms", state.stalenessBoundMillis())
                .withDetail("keys", table.size())
                .build();
    }
}
