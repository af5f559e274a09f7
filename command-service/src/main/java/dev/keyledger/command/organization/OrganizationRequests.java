package dev.keyledger.command.organization;

import dev.keyledger.command.domain.DomainRuleViolation;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.contracts.organization.RateLimits;
import io.swagger.v3.oas.annotations.media.Schema;

/** Request bodies of the organization endpoints, validated into domain values. */
final class OrganizationRequests {

    private OrganizationRequests() {}

    @Schema(description = "A new organization")
    record CreateOrganization(
            @Schema(
                    description = "1 to 100 characters, no control or format characters",
                    example = "Acme",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String name,

            @Schema(
                    allowableValues = {"free", "starter", "pro", "enterprise"},
                    example = "free",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String plan,

            @Schema(description = "Required for `enterprise`, refused for the other plans")
            Limits limits) {}

    @Schema(description = "The new plan of an organization")
    record ChangePlan(
            @Schema(
                    allowableValues = {"free", "starter", "pro", "enterprise"},
                    example = "enterprise",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String plan,

            @Schema(description = "Required for `enterprise`, refused for the other plans")
            Limits limits) {}

    @Schema(description = "Why the organization is suspended")
    record Suspend(
            @Schema(
                    description = "1 to 500 characters, no control or format characters; shown to the"
                            + " organization's admins and in the audit log",
                    example = "Unpaid invoices since 2026-10-01",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String reason) {}

    @Schema(name = "RateLimitsRequest", description = "The rate limits of an enterprise plan")
    record Limits(
            @Schema(
                    minimum = "1",
                    maximum = "1000000000",
                    example = "6000",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            Long requestsPerMinute,

            @Schema(
                    minimum = "1",
                    maximum = "1000000000000",
                    example = "5000000",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            Long requestsPerDay) {}

    static Plan plan(String wireName) {
        if (wireName == null) {
            throw new DomainRuleViolation("plan", "is required");
        }
        Plan plan = Plan.fromWireName(wireName);
        if (plan == null) {
            throw new DomainRuleViolation("plan", "must be one of free, starter, pro, enterprise");
        }
        return plan;
    }

    /**
     * The limits of the body, or {@code null} when it has none. Whether a plan takes limits is the
     * aggregate's rule; the bounds are checked here too because {@link RateLimits} cannot hold a
     * value below 1.
     */
    static RateLimits limits(Limits limits) {
        if (limits == null) {
            return null;
        }
        return new RateLimits(
                limit("limits.requests_per_minute", limits.requestsPerMinute(), Organization.MAX_REQUESTS_PER_MINUTE),
                limit("limits.requests_per_day", limits.requestsPerDay(), Organization.MAX_REQUESTS_PER_DAY));
    }

    private static long limit(String field, Long value, long max) {
        if (value == null) {
            throw new DomainRuleViolation(field, "is required");
        }
        return Organization.checkLimit(field, value, max);
    }
}
