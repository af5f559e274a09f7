package dev.keyledger.edge.ratelimit;

/**
 * A rate-limit answer as a value: whether the request may pass, and the numbers for the
 * {@code X-RateLimit-*} headers of the window with the least remaining (or the window that refused).
 *
 * @param status allowed, rejected (429) or unavailable (the backend failed and the policy is to fail closed)
 * @param limit the limit of the reported window
 * @param remaining requests left in that window after this one
 * @param resetEpochSeconds when that window ends
 * @param retryAfterSeconds for a rejection, seconds until the refusing window ends (at least 1)
 */
public record RateLimitDecision(
        Status status, long limit, long remaining, long resetEpochSeconds, long retryAfterSeconds) {

    public enum Status {
        ALLOWED,
        REJECTED,
        UNAVAILABLE
    }

    public boolean allowed() {
        return status == Status.ALLOWED;
    }

    /** Computes the decision from window counts; shared by every implementation so they agree. */
    public static RateLimitDecision of(
            boolean allowed, long perMinute, long minuteCount, long perDay, long dayCount, long nowMillis) {
        long minuteEnd = FixedWindows.minuteStart(nowMillis) + FixedWindows.MINUTE_MILLIS;
        long dayEnd = FixedWindows.dayStart(nowMillis) + FixedWindows.DAY_MILLIS;
        long minuteLeft = Math.max(0, perMinute - minuteCount);
        long dayLeft = Math.max(0, perDay - dayCount);
        if (!allowed) {
            boolean minuteRefuses = minuteLeft == 0 && (dayLeft > 0 || minuteEnd <= dayEnd);
            long end = minuteRefuses ? minuteEnd : dayEnd;
            long retry = Math.max(1, (end - nowMillis + 999) / 1000);
            return new RateLimitDecision(Status.REJECTED, minuteRefuses ? perMinute : perDay, 0, end / 1000, retry);
        }
        boolean minuteLeast = minuteLeft <= dayLeft;
        return new RateLimitDecision(
                Status.ALLOWED,
                minuteLeast ? perMinute : perDay,
                minuteLeast ? minuteLeft : dayLeft,
                (minuteLeast ? minuteEnd : dayEnd) / 1000,
                0);
    }

    /** The answer when the backend failed: fail open lets the request through with the full limit. */
    public static RateLimitDecision backendFailed(boolean failOpen, long perMinute, long nowMillis) {
        long minuteEnd = FixedWindows.minuteStart(nowMillis) + FixedWindows.MINUTE_MILLIS;
        return new RateLimitDecision(
                failOpen ? Status.ALLOWED : Status.UNAVAILABLE, perMinute, perMinute, minuteEnd / 1000, 0);
    }
}
