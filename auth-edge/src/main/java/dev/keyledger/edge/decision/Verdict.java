package dev.keyledger.edge.decision;

import dev.keyledger.edge.keys.KeyEntry;
import dev.keyledger.edge.ratelimit.RateLimitDecision;

/**
 * The result of checking one request: the outcome, the key entry when the key was found, the
 * database the request targets (for the {@code X-Keyledger-Database-Id} header), and the rate-limit
 * numbers once the limiter has answered (or was peeked for a 403).
 */
public record Verdict(Outcome outcome, KeyEntry entry, String databaseId, RateLimitDecision limit) {

    static final Verdict UNAVAILABLE = new Verdict(Outcome.UNAVAILABLE, null, null, null);
    static final Verdict MISSING = new Verdict(Outcome.MISSING, null, null, null);
    static final Verdict MALFORMED = new Verdict(Outcome.MALFORMED, null, null, null);
    static final Verdict BAD_CHECKSUM = new Verdict(Outcome.BAD_CHECKSUM, null, null, null);
    static final Verdict UNKNOWN = new Verdict(Outcome.UNKNOWN, null, null, null);
    static final Verdict EXPIRED = new Verdict(Outcome.EXPIRED, null, null, null);

    public Verdict withLimit(Outcome finalOutcome, RateLimitDecision decision) {
        return new Verdict(finalOutcome, entry, databaseId, decision);
    }
}
