package dev.keyledger.contracts.usage;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the edge answered to a request with a known key. Unknown keys produce no usage event. */
public enum UsageOutcome {
    /** Verified and let through (forwarded upstream or answered 200 in forward-auth mode). */
    @JsonProperty("accepted")
    ACCEPTED,
    /** Refused with 429; consumed nothing. */
    @JsonProperty("rate_limited")
    RATE_LIMITED,
    /** Refused with 403: a scope (database) or origin violation. */
    @JsonProperty("forbidden")
    FORBIDDEN,
    /** Refused with 503: the edge could not decide (rate limiter unreachable and failing closed). */
    @JsonProperty("unavailable")
    UNAVAILABLE
}
