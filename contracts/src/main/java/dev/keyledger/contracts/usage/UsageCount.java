package dev.keyledger.contracts.usage;

/**
 * The requests of one key in one UTC minute, as one edge counted them in one report.
 *
 * @param keyId the key's id
 * @param organizationId the key's organization
 * @param minute start of the minute in epoch seconds (a multiple of 60)
 * @param accepted requests let through
 * @param rateLimited requests refused with 429
 * @param forbidden requests refused with 403 (scope or origin)
 * @param unavailable requests refused with 503 by the rate limiter failing closed
 * @param lastAcceptedMillis epoch milliseconds of the latest accepted request, 0 when none was accepted
 * @param lastMillis epoch milliseconds of the latest request of any outcome
 */
public record UsageCount(
        String keyId,
        String organizationId,
        long minute,
        int accepted,
        int rateLimited,
        int forbidden,
        int unavailable,
        long lastAcceptedMillis,
        long lastMillis) {

    /** Requests of any outcome other than accepted. */
    public long rejected() {
        return (long) rateLimited + forbidden + unavailable;
    }

    /** Every request of the row. */
    public long total() {
        return accepted + rejected();
    }

    /** The count of one outcome. */
    public int count(UsageOutcome outcome) {
        return switch (outcome) {
            case ACCEPTED -> accepted;
            case RATE_LIMITED -> rateLimited;
            case FORBIDDEN -> forbidden;
            case UNAVAILABLE -> unavailable;
        };
    }
}
