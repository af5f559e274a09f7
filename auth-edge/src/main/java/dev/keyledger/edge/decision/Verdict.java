package dev.keyledger.edge.decision;

import dev.keyledger.edge.keys.KeyEntry;
import dev.keyledger.edge.ratelimit.RateLimitDecision;

/**
 * The result of checking one request: the outcome, the key entry when the key was found, the
 * database the request targets (for the {@code X-Keyledger-Database-Id} header), and the rate-limit
 * numbers once the limiter has answered (or was peeked for a 403). Immutable; the key id's text is
 * rendered from the entry on first use and then shared by the usage spool and the
 * {@code X-Keyledger-Key-Id} header (the decision itself never needs it).
 */
public final class Verdict {

    static final Verdict UNAVAILABLE = new Verdict(Outcome.UNAVAILABLE, null, null, null);
    static final Verdict MISSING = new Verdict(Outcome.MISSING, null, null, null);
    static final Verdict MALFORMED = new Verdict(Outcome.MALFORMED, null, null, null);
    static final Verdict BAD_CHECKSUM = new Verdict(Outcome.BAD_CHECKSUM, null, null, null);
    static final Verdict UNKNOWN = new Verdict(Outcome.UNKNOWN, null, null, null);
    static final Verdict EXPIRED = new Verdict(Outcome.EXPIRED, null, null, null);

    private final Outcome outcome;
    private final KeyEntry entry;
    private final String databaseId;
    private final RateLimitDecision limit;
    /** Rendered once; a racing second render yields an equal string, so no lock is needed. */
    private String keyId;

    public Verdict(Outcome outcome, KeyEntry entry, String databaseId, RateLimitDecision limit) {
        this.outcome = outcome;
        this.entry = entry;
        this.databaseId = databaseId;
        this.limit = limit;
    }

    public Verdict withLimit(Outcome finalOutcome, RateLimitDecision decision) {
        Verdict limited = new Verdict(finalOutcome, entry, databaseId, decision);
        limited.keyId = keyId;
        return limited;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The found key's entry, or {@code null}. */
    public KeyEntry entry() {
        return entry;
    }

    /** The found key's id, or {@code null} when no key was found. */
    public String keyId() {
        String id = keyId;
        if (id == null && entry != null) {
            id = entry.keyId();
            keyId = id;
        }
        return id;
    }

    public String databaseId() {
        return databaseId;
    }

    public RateLimitDecision limit() {
        return limit;
    }

    @Override
    public String toString() {
        return "Verdict[" + outcome + (entry == null ? "" : ", " + keyId()) + "]";
    }
}
