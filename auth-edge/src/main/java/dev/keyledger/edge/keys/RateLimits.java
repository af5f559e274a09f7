package dev.keyledger.edge.keys;

/**
 * A key's requests per minute and per day; 0 means none allowed. Interned by
 * {@link KeyEntryParser}, since the keys of one plan share one pair.
 */
record RateLimits(long perMinute, long perDay) {

    static final RateLimits NONE = new RateLimits(0, 0);
}
