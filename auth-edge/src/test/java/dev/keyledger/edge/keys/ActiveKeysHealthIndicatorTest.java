package dev.keyledger.edge.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.edge.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** Readiness follows the table: out of service until caught up, and again once the changelog is stale. */
class ActiveKeysHealthIndicatorTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ChangelogState state =
            new ChangelogState(clock, Duration.ofMinutes(5).toMillis());
    private final ActiveKeysHealthIndicator health = new ActiveKeysHealthIndicator(new ActiveKeyTable(), state, clock);

    @Test
    void outOfServiceUntilCaughtUp() {
        assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        state.markCaughtUp();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void saysStaleAndOutOfServiceWhenTheChangelogIsLostLongerThanTheBound() {
        state.markCaughtUp();
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        Health stale = health.health();

        assertThat(stale.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(stale.getDetails()).containsEntry("stale", true).containsEntry("changelog_age_ms", 301_000L);

        state.markContact();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }
}
