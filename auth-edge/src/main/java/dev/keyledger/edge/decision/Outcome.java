package dev.keyledger.edge.decision;

/**
 * Every way a key check ends, as a value. The HTTP status is fixed per outcome; the five 401
 * outcomes share one response body so a caller cannot tell them apart (no oracle), but the metric
 * label tells an operator why.
 */
public enum Outcome {
    /** The table is not caught up yet, or the changelog has been lost longer than the bound. */
    UNAVAILABLE(503, "unavailable"),
    MISSING(401, "missing"),
    MALFORMED(401, "malformed"),
    BAD_CHECKSUM(401, "bad_checksum"),
    UNKNOWN(401, "unknown"),
    EXPIRED(401, "expired"),
    FORBIDDEN_SCOPE(403, "forbidden_scope"),
    FORBIDDEN_ORIGIN(403, "forbidden_origin"),
    /** Verified; the rate limiter has not answered yet. Never the final outcome of a request. */
    VERIFIED(200, "verified"),
    RATE_LIMITED(429, "rate_limited"),
    /** Rate limiter backend failed and the policy is to fail closed. */
    LIMITER_UNAVAILABLE(503, "limiter_unavailable"),
    ACCEPTED(200, "accepted");

    private final int status;
    private final String label;

    Outcome(int status, String label) {
        this.status = status;
        this.label = label;
    }

    public int status() {
        return status;
    }

    public String label() {
        return label;
    }

    /** True when the key was found and valid, so the response carries rate-limit headers and a usage event. */
    public boolean knownKey() {
        return this == FORBIDDEN_SCOPE
                || this == FORBIDDEN_ORIGIN
                || this == VERIFIED
                || this == RATE_LIMITED
                || this == LIMITER_UNAVAILABLE
                || this == ACCEPTED;
    }
}
