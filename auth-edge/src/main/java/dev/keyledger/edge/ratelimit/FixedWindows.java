package dev.keyledger.edge.ratelimit;

/** Fixed UTC windows: minutes and days start at multiples of their length since the epoch. */
final class FixedWindows {

    static final long MINUTE_MILLIS = 60_000L;
    static final long DAY_MILLIS = 86_400_000L;

    private FixedWindows() {}

    static long minuteStart(long nowMillis) {
        return nowMillis - Math.floorMod(nowMillis, MINUTE_MILLIS);
    }

    static long dayStart(long nowMillis) {
        return nowMillis - Math.floorMod(nowMillis, DAY_MILLIS);
    }
}
