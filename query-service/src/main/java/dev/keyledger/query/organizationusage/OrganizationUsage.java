package dev.keyledger.query.organizationusage;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GET .../usage}: the range served ({@code from} widened to its bucket,
 * {@code to} exclusive), the organization's totals per bucket (oldest first, only buckets with
 * usage), one page of per-key sums over the range (key-id order) and the cursor of the next page
 * ({@code null} on the last).
 */
record OrganizationUsage(
        @Schema(description = "Start of the range served, widened to its bucket")
        Instant from,

        @Schema(description = "End of the range, exclusive") Instant to,
        @Schema(allowableValues = {"hour", "day"}) String interval,

        @Schema(description = "The organization's buckets with usage, oldest first")
        List<Total> totals,

        @Schema(description = "One page of per-key sums over the range, in key id order")
        List<KeyUsage> keys,

        @Schema(
                types = {"string", "null"},
                description = "Cursor of the next page of keys; null on the last")
        String nextCursor) {

    /** One bucket of the organization: accepted ({@code requests}) and refused ({@code rejected}) requests. */
    @Schema(name = "UsageTotal")
    record Total(Instant start, long requests, long rejected) {}

    /** One key's requests over the whole range. */
    @Schema(name = "KeyUsage")
    record KeyUsage(String keyId, long requests, long rejected) {}
}
