package dev.keyledger.command.organization;

import dev.keyledger.command.web.ValidationException;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.contracts.organization.RateLimits;

/** Request bodies of the organization endpoints, validated into domain values. */
final class OrganizationRequests {

    static final long MAX_LIMIT = 1_000_000_000_000L;

    private OrganizationRequests() {}

    record CreateOrganization(String name, String plan, Limits limits) {}

    record ChangePlan(String plan, Limits limits) {}

    record Limits(Long requestsPerMinute, Long requestsPerDay) {}

    static Plan plan(String wireName) {
        if (wireName == null) {
            throw new ValidationException("plan", "is required");
        }
        Plan plan = Plan.fromWireName(wireName);
        if (plan == null) {
            throw new ValidationException("plan", "must be one of free, starter, pro, enterprise");
        }
        return plan;
    }

    static RateLimits limits(Plan plan, Limits limits) {
        if (plan.hasCustomLimits()) {
            if (limits == null) {
                throw new ValidationException("limits", "is required for the enterprise plan");
            }
            return new RateLimits(
                    positive("limits.requests_per_minute", limits.requestsPerMinute()),
                    positive("limits.requests_per_day", limits.requestsPerDay()));
        }
        if (limits != null) {
            throw new ValidationException("limits", "is only accepted for the enterprise plan");
        }
        return null;
    }

    private static long positive(String field, Long value) {
        if (value == null) {
            throw new ValidationException(field, "is required");
        }
        if (value < 1 || value > MAX_LIMIT) {
            throw new ValidationException(field, "must be between 1 and " + MAX_LIMIT);
        }
        return value;
    }
}
