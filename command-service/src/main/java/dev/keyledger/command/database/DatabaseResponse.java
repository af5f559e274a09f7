package dev.keyledger.command.database;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A database as the management API returns it. */
@Schema(name = "Database", description = "A database")
record DatabaseResponse(
        @Schema(example = "db_01JD8ZQ6Y0V7Q3C5N9K2M4P6R8", requiredMode = Schema.RequiredMode.REQUIRED)
        String id,

        @Schema(example = "org_01JD8ZQ6Y0V7Q3C5N9K2M4P6R8", requiredMode = Schema.RequiredMode.REQUIRED)
        String organizationId,

        @Schema(example = "Main", requiredMode = Schema.RequiredMode.REQUIRED)
        String name,

        @ArraySchema(
                schema = @Schema(example = "https://app.example.com"),
                arraySchema = @Schema(description = "Canonical form", requiredMode = Schema.RequiredMode.REQUIRED))
        List<String> allowedOrigins,

        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant createdAt) {}
