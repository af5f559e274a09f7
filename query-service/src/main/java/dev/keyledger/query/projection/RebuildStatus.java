package dev.keyledger.query.projection;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The state of the last or running rebuild as {@code GET /api/v1/admin/rebuild} shows it, read from
 * the table every instance shares.
 *
 * @param state {@code idle}, {@code running} or {@code failed}
 * @param percent records replayed of those present when it started, 0 to 100
 * @param eventsPerSecond mean rate of the running or last rebuild
 * @param startedAt when the running or last rebuild was requested
 * @param reason why the last rebuild failed; absent otherwise
 */
public record RebuildStatus(
        String state,
        double percent,
        double eventsPerSecond,
        Instant startedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {}
