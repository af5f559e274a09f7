package dev.keyledger.command.organization;

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
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant createdAt) {

    @Schema(name = "RateLimits", description = "The plan's limits per key, in fixed UTC windows")
    record Limits(
            @Schema(example = "60", requiredMode = Schema.RequiredMode.REQUIRED)
            long requestsPerMinute,

            @Schema(example = "10000", requiredMode = Schema.RequiredMode.REQUIRED)
            long requestsPerDay) {}
}
