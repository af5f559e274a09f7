package dev.keyledger.edge.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.edge.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Staleness is the age of the oldest partition heartbeat, over every partition the edge expects. */
class ChangelogStateTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ChangelogState state = new ChangelogState(clock, BOUND.toMillis());

    @Test
    void heartbeatsEverySecondNeverTripTheBound() {
        state.markCaughtUp();
        for (int second = 0; second < 600; second++) {
            for (int partition = 0; partition < 3; partition++) {
                state.applyHeartbeat(partition, 3, clock.instant());
            }
            clock.advance(Duration.ofSeconds(1));
            assertThat(state.stale(clock.millis())).isFalse();
        }
        assertThat(state.stalenessSeconds(clock.millis())).isEqualTo(1.0);
    }

    @Test
    void theOldestPartitionDecidesEvenWhenTheOthersAreFresh() {
        beatAll(3);
        state.markCaughtUp();

        for (int second = 0; second <= BOUND.toSeconds(); second++) {
            clock.advance(Duration.ofSeconds(1));
            state.applyHeartbeat(0, 3, clock.instant());
            state.applyHeartbeat(2, 3, clock.instant());
        }

        assertThat(state.stale(clock.millis())).isTrue();
        ChangelogState.Freshness freshness = state.freshness(clock.millis());
        assertThat(freshness.oldestPartition()).isEqualTo(1);
        assertThat(freshness.oldestAgeMillis()).isEqualTo(BOUND.plusSeconds(1).toMillis());

        state.applyHeartbeat(1, 3, clock.instant());

        assertThat(state.stale(clock.millis())).isFalse();
    }

    @Test
    void staleExactlyPastTheBound() {
        beatAll(1);
        state.markCaughtUp();

        clock.advance(BOUND);
        assertThat(state.stale(clock.millis())).isFalse();

        clock.advance(Duration.ofMillis(1));
        assertThat(state.stale(clock.millis())).isTrue();
    }

    @Test
    void aPartitionWithoutAnyHeartbeatIsInfinitelyStale() {
        state.applyHeartbeat(0, 2, clock.instant());

        assertThat(state.stale(clock.millis())).isTrue();
        assertThat(state.stalenessSeconds(clock.millis())).isNaN();

        state.markCaughtUp();

        assertThat(state.stalenessSeconds(clock.millis())).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(state.freshness(clock.millis()).withoutHeartbeat()).isEqualTo(1);
    }

    @Test
    void knowingNoPartitionAtAllIsStale() {
        state.markCaughtUp();

        assertThat(state.stale(clock.millis())).isTrue();
        assertThat(state.stalenessSeconds(clock.millis())).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void theBrokersPartitionCountAddsPartitionsTheHeartbeatsDoNotMention() {
        beatAll(2);
        state.markCaughtUp();
        assertThat(state.stale(clock.millis())).isFalse();

        state.expectPartitions(3);

        assertThat(state.stale(clock.millis())).isTrue();
        assertThat(state.freshness(clock.millis()).oldestPartition()).isEqualTo(2);
    }

    @Test
    void anOldHeartbeatReadDuringCatchUpCountsAsOld() {
        state.applyHeartbeat(0, 1, clock.instant().minus(BOUND).minusSeconds(10));

        state.markCaughtUp();

        assertThat(state.stale(clock.millis())).isTrue();
        assertThat(state.stalenessSeconds(clock.millis())).isEqualTo(40.0);
    }

    @Test
    void aReadSideClockAheadCannotBuyFreshnessBeyondTheMomentTheHeartbeatArrived() {
        state.applyHeartbeat(0, 1, clock.instant().plus(Duration.ofHours(1)));
        state.markCaughtUp();

        assertThat(state.stalenessSeconds(clock.millis())).isZero();
        clock.advance(BOUND.plusMillis(1));

        assertThat(state.stale(clock.millis())).isTrue();
    }

    @Test
    void anOlderHeartbeatArrivingLateChangesNothing() {
        state.applyHeartbeat(0, 1, clock.instant());
        state.applyHeartbeat(0, 1, clock.instant().minusSeconds(20));

        assertThat(state.stalenessSeconds(clock.millis())).isZero();
    }

    @Test
    void malformedHeartbeatsAreRefusedAndChangeNothing() {
        Instant now = clock.instant();

        assertThat(state.applyHeartbeat(3, 3, now)).isFalse();
        assertThat(state.applyHeartbeat(-1, 3, now)).isFalse();
        assertThat(state.applyHeartbeat(0, 0, now)).isFalse();
        assertThat(state.applyHeartbeat(0, ChangelogState.MAX_PARTITIONS + 1, now))
                .isFalse();
        assertThat(state.applyHeartbeat(0, 1, null)).isFalse();
        assertThat(state.applyHeartbeat(0, 1, Instant.parse("1969-12-31T23:59:59Z")))
                .isFalse();
        assertThat(state.applyHeartbeat(0, 1, Instant.MAX)).isFalse();

        assertThat(state.freshness(clock.millis()).partitions()).isZero();
        assertThat(state.applyHeartbeat(0, 1, now)).isTrue();
    }

    private void beatAll(int partitions) {
        for (int partition = 0; partition < partitions; partition++) {
            state.applyHeartbeat(partition, partitions, clock.instant());
        }
    }
}
