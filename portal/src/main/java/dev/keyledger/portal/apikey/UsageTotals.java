package dev.keyledger.portal.apikey;

import dev.keyledger.portal.api.ApiException;
import dev.keyledger.portal.api.Models.OrganizationUsage;
import dev.keyledger.portal.api.Models.UsageBucket;
import dev.keyledger.portal.api.QueryApi;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.client.ResourceAccessException;

/**
 * The organization's accepted and rejected requests for the API Keys page, from two calls of the
 * read API's {@code GET /api/v1/organizations/{org}/usage} (never one per key): the last 24 hours
 * (interval {@code hour}, from the start of the hour 23 hours before the current one: the current
 * UTC hour and the 23 before it) and the last 30 days (interval {@code day}: today, UTC, and the 29
 * days before). Each call asks for {@code limit=1}, as only the totals are shown.
 *
 * @param available false when the read API could not answer the usage calls; the page then says so
 *     and shows the keys all the same
 */
public record UsageTotals(Window lastDay, Window lastMonth, boolean available) {

    private static final Logger LOG = LoggerFactory.getLogger(UsageTotals.class);

    /** Accepted ({@code requests}) and rejected requests of one window. */
    public record Window(long accepted, long rejected) {

        static Window of(OrganizationUsage usage) {
            List<UsageBucket> totals = usage.totals();
            return new Window(
                    totals.stream().mapToLong(UsageBucket::requests).sum(),
                    totals.stream().mapToLong(UsageBucket::rejected).sum());
        }
    }

    /** Reads both windows; a refusal other than 401/403 (or no answer) makes them unavailable. */
    static UsageTotals read(QueryApi queries, String organizationId, Clock clock) {
        Instant now = clock.instant();
        Instant hours = now.truncatedTo(ChronoUnit.HOURS).minus(23, ChronoUnit.HOURS);
        Instant days = now.truncatedTo(ChronoUnit.DAYS).minus(29, ChronoUnit.DAYS);
        try {
            return new UsageTotals(
                    Window.of(queries.organizationUsage(organizationId, hours, "hour", 1)),
                    Window.of(queries.organizationUsage(organizationId, days, "day", 1)),
                    true);
        } catch (ApiException refusal) {
            if (refusal.status() == 401 || refusal.status() == 403) {
                throw refusal;
            }
            LOG.warn("Organization usage unavailable: the read API answered {} ({})", refusal.status(), refusal.code());
        } catch (ResourceAccessException unreachable) {
            LOG.warn("Organization usage unavailable: {}", unreachable.getMessage());
        }
        return new UsageTotals(new Window(0, 0), new Window(0, 0), false);
    }
}
