package dev.keyledger.edge.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.id.PackedKeyId;
import dev.keyledger.edge.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryRateLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:05Z"));
    private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);

    @Test
    void acceptsThePerMinuteLimitThenRefusesUntilTheNextMinute() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquireNow("key_a", 3, 100).allowed()).isTrue();
        }
        RateLimitDecision refused = limiter.acquireNow("key_a", 3, 100);

        assertThat(refused.status()).isEqualTo(RateLimitDecision.Status.REJECTED);
        assertThat(refused.retryAfterSeconds()).isEqualTo(55);
        assertThat(refused.resetEpochSeconds())
                .isEqualTo(Instant.parse("2026-01-01T10:01:00Z").getEpochSecond());

        clock.advance(Duration.ofSeconds(55));
        assertThat(limiter.acquireNow("key_a", 3, 100).allowed()).isTrue();
    }

    @Test
    void aPackedKeyIdAndItsTextCountInTheSameWindowsAndOtherKeysDoNot() {
        String id = Ids.newKeyId();
        PackedKeyId packed = PackedKeyId.of(id);

        assertThat(limiter.acquireNow(packed, 3, 100).allowed()).isTrue();
        assertThat(limiter.acquireNow(id, 3, 100).allowed()).isTrue();
        assertThat(limiter.acquireNow(PackedKeyId.of(new String(id)), 3, 100).allowed())
                .isTrue();
        assertThat(limiter.acquireNow(packed, 3, 100).allowed()).isFalse();
        assertThat(limiter.peek(id, 3, 100).toCompletableFuture().join().remaining())
                .isZero();
        assertThat(limiter.peek(packed, 3, 100).toCompletableFuture().join().remaining())
                .isZero();

        assertThat(limiter.acquireNow(PackedKeyId.of(Ids.newKeyId()), 3, 100).remaining())
                .isEqualTo(2);
        assertThat(limiter.acquireNow("key_legacy-1", 3, 100).remaining()).isEqualTo(2);
        assertThat(limiter.trackedKeys()).isEqualTo(3);
    }

    /** The caller's instant decides the window, not the limiter's clock (one clock read per request). */
    @Test
    void anInstantPassedInChoosesTheWindow() throws Exception {
        PackedKeyId packed = PackedKeyId.of(Ids.newKeyId());
        long nextMinute = Instant.parse("2026-01-01T10:01:00Z").toEpochMilli();
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquireNow(packed, 3, 100, clock.millis()).allowed())
                    .isTrue();
        }
        assertThat(limiter.acquireNow(packed, 3, 100, clock.millis()).allowed()).isFalse();

        RateLimitDecision later = limiter.acquire(packed, 3, 100, nextMinute)
                .toCompletableFuture()
                .get();
        assertThat(later.allowed()).isTrue();
        assertThat(later.remaining()).isEqualTo(2);
        assertThat(limiter.peek(packed, 3, 100, nextMinute)
                        .toCompletableFuture()
                        .get()
                        .remaining())
                .isEqualTo(2);
    }

    @Test
    void refusedRequestsConsumeNothing() {
        limiter.acquireNow("key_b", 1, 3);
        for (int i = 0; i < 20; i++) {
            assertThat(limiter.acquireNow("key_b", 1, 3).allowed()).isFalse();
        }
        clock.advance(Duration.ofMinutes(1));

        RateLimitDecision next = limiter.acquireNow("key_b", 1, 3);

        assertThat(next.allowed()).isTrue();
        assertThat(limiter.peek("key_b", 100, 3).toCompletableFuture().join().remaining())
                .isEqualTo(1);
    }

    @Test
    void dayWindowRefusesUntilMidnightUtc() {
        limiter.acquireNow("key_c", 100, 1);

        RateLimitDecision refused = limiter.acquireNow("key_c", 100, 1);

        assertThat(refused.status()).isEqualTo(RateLimitDecision.Status.REJECTED);
        assertThat(refused.limit()).isEqualTo(1);
        assertThat(refused.resetEpochSeconds())
                .isEqualTo(Instant.parse("2026-01-02T00:00:00Z").getEpochSecond());
        assertThat(refused.retryAfterSeconds())
                .isEqualTo(Duration.ofHours(14).minusSeconds(5).toSeconds());
    }

    @Test
    void headersDescribeTheWindowWithTheLeastRemaining() {
        RateLimitDecision minuteTighter = limiter.acquireNow("key_d", 10, 1000);
        RateLimitDecision dayTighter = limiter.acquireNow("key_e", 600, 20);

        assertThat(minuteTighter.limit()).isEqualTo(10);
        assertThat(minuteTighter.remaining()).isEqualTo(9);
        assertThat(dayTighter.limit()).isEqualTo(20);
        assertThat(dayTighter.remaining()).isEqualTo(19);
    }

    @Test
    void sweepForgetsKeysIdleSinceAnEarlierDay() {
        limiter.acquireNow("key_f", 10, 100);
        clock.advance(Duration.ofDays(1));

        limiter.sweep();

        assertThat(limiter.trackedKeys()).isZero();
    }
}
