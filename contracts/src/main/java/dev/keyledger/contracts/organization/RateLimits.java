package dev.keyledger.contracts.organization;

/** Requests allowed per fixed UTC minute and per fixed UTC day. */
public record RateLimits(long requestsPerMinute, long requestsPerDay) {

    public RateLimits {
        if (requestsPerMinute < 1 || requestsPerDay < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
