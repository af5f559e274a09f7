package dev.keyledger.query.organizationusage;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GET .../usage}: the range served ({@code from} widened to its bucket,
 * {@code to} exclusive), the organization's totals per bucket (oldest first, only buckets with
 * usage), one page of per-key sums over the range (key-id order) and the cursor of the next page
 * ({@code null} on the last).
 */
record OrganizationUsage(
        Instant from, Instant to, String interval, List<Total> totals, List<KeyUsage> keys, String nextCursor) {

    /** One bucket of the organization: accepted ({@code requests}) and refused ({@code rejected}) requests. */
    record Total(Instant start, long requests, long rejected) {}

    /** One key's requests over the whole range. */
    record KeyUsage(String keyId, long requests, long rejected) {}
}
