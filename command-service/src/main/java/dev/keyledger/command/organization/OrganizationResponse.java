package dev.keyledger.command.organization;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** An organization as the management API returns it. */
@Schema(name = "Organization", description = "An organization")
record OrganizationResponse(
        @Schema(example = "org_01JD8ZQ6Y0V7Q3C5N9K2M4P6R8", requiredMode = Schema.RequiredMode.REQUIRED)
        String id,

        @Schema(example = "Acme", requiredMode = Schema.RequiredMode.REQUIRED)
        String name,

        @Schema(
                allowableValues = {"free", "starter", "pro", "enterprise"},
                requiredMode = Schema.RequiredMode.REQUIRED)
        String plan,

        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Limits limits,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant createdAt,

        @Schema(
                description = "`suspended`: every key of the organization is refused at the edge until it is"
                        + " reactivated",
                allowableValues = {"active", "suspended"},
                requiredMode = Schema.RequiredMode.REQUIRED)
        String status,

        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Why the organization is suspended; only while it is", example = "Unpaid invoices")
        String suspendedReason,

        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "When the organization was suspended; only while it is")
        Instant suspendedAt) {

    @Schema(name = "RateLimits", description = "The plan's limits per key, in fixed UTC windows")
    record Limits(
            @Schema(example = "60", requiredMode = Schema.RequiredMode.REQUIRED)
            long requestsPerMinute,

            @Schema(example = "10000", requiredMode = Schema.RequiredMode.REQUIRED)
            long requestsPerDay) {}
}
