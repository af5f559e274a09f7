package dev.keyledger.edge.ratelimit;

import dev.keyledger.contracts.id.PackedKeyId;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters in this JVM, for a single edge. One small lock per key (contention only between requests
 * of the same key); counters of keys idle past their day window are dropped by {@link #sweep()}.
 * Counters are keyed by {@link PackedKeyId#identity(String)}, so a request with a packed id counts
 * without rendering its text, and the text and the packed form find the same counters.
 */
public final class InMemoryRateLimiter implements RateLimiter {

    private final Clock clock;
    private final ConcurrentHashMap<Object, Windows> counters = new ConcurrentHashMap<>();

    public InMemoryRateLimiter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<RateLimitDecision> acquire(String keyId, long perMinute, long perDay) {
        return CompletableFuture.completedFuture(acquireNow(keyId, perMinute, perDay));
    }

    @Override
    public boolean countsPackedIds() {
        return true;
    }

    @Override
    public CompletionStage<RateLimitDecision> acquire(PackedKeyId keyId, long perMinute, long perDay) {
        return CompletableFuture.completedFuture(acquireNow(keyId, perMinute, perDay));
    }

    @Override
    public CompletionStage<RateLimitDecision> acquire(PackedKeyId keyId, long perMinute, long perDay, long nowMillis) {
        return CompletableFuture.completedFuture(acquireNow(keyId, perMinute, perDay, nowMillis));
    }

    @Override
    public CompletionStage<RateLimitDecision> peek(String keyId, long perMinute, long perDay) {
        return CompletableFuture.completedFuture(
                peekNow(PackedKeyId.identity(keyId), perMinute, perDay, clock.millis()));
    }

    @Override
    public CompletionStage<RateLimitDecision> peek(PackedKeyId keyId, long perMinute, long perDay) {
        return CompletableFuture.completedFuture(peekNow(keyId, perMinute, perDay, clock.millis()));
    }

    @Override
    public CompletionStage<RateLimitDecision> peek(PackedKeyId keyId, long perMinute, long perDay, long nowMillis) {
        return CompletableFuture.completedFuture(peekNow(keyId, perMinute, perDay, nowMillis));
    }

    private RateLimitDecision peekNow(Object identity, long perMinute, long perDay, long now) {
        Windows windows = counters.get(identity);
        if (windows == null) {
            return RateLimitDecision.of(true, perMinute, 0, perDay, 0, now);
        }
        return windows.decide(false, perMinute, perDay, now);
    }

    /** The synchronous form of {@link #acquire}, for callers on the same thread (and the benchmark). */
    public RateLimitDecision acquireNow(String keyId, long perMinute, long perDay) {
        return acquireNow(PackedKeyId.identity(keyId), perMinute, perDay, clock.millis());
    }

    /** The synchronous form of {@link #acquire(PackedKeyId, long, long)}. */
    public RateLimitDecision acquireNow(PackedKeyId keyId, long perMinute, long perDay) {
        return acquireNow(keyId, perMinute, perDay, clock.millis());
    }

    /** The synchronous form of {@link #acquire(PackedKeyId, long, long, long)}. */
    public RateLimitDecision acquireNow(PackedKeyId keyId, long perMinute, long perDay, long nowMillis) {
        return acquireNow((Object) keyId, perMinute, perDay, nowMillis);
    }

    private RateLimitDecision acquireNow(Object identity, long perMinute, long perDay, long nowMillis) {
        Windows windows = counters.get(identity);
        if (windows == null) {
            windows = counters.computeIfAbsent(identity, k -> new Windows());
        }
        return windows.decide(true, perMinute, perDay, nowMillis);
    }

    /** Drops counters whose day window has ended; called periodically. */
    public void sweep() {
        long dayStart = FixedWindows.dayStart(clock.millis());
        counters.values().removeIf(windows -> windows.idleBefore(dayStart));
    }

    int trackedKeys() {
        return counters.size();
    }

    private static final class Windows {
        private long minuteStart = Long.MIN_VALUE;
        private long minuteCount;
        private long dayStart = Long.MIN_VALUE;
        private long dayCount;

        synchronized RateLimitDecision decide(boolean consume, long perMinute, long perDay, long now) {
            long currentMinute = FixedWindows.minuteStart(now);
            long currentDay = FixedWindows.dayStart(now);
            long minute = currentMinute == minuteStart ? minuteCount : 0;
            long day = currentDay == dayStart ? dayCount : 0;
            boolean room = minute < perMinute && day < perDay;
            if (!room) {
                return RateLimitDecision.of(false, perMinute, minute, perDay, day, now);
            }
            if (consume) {
                minuteStart = currentMinute;
                dayStart = currentDay;
                minuteCount = ++minute;
                dayCount = ++day;
            }
            return RateLimitDecision.of(true, perMinute, minute, perDay, day, now);
        }

        synchronized boolean idleBefore(long currentDayStart) {
            return dayStart < currentDayStart;
        }
    }
}
