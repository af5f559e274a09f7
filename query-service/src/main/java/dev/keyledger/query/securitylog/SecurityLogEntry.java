package dev.keyledger.query.securitylog;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * One refused call as the read API answers it (snake_case): the contract's members, plus {@code id},
 * {@code service} and {@code method}.
 */
@Schema(name = "SecurityLogEntry", description = "A refused call (401 or 403) of the management or the read API")
record SecurityLogEntry(
        @Schema(description = "The refusal's id", requiredMode = Schema.RequiredMode.REQUIRED)
        String id,

        @Schema(description = "When it was refused, ISO-8601 UTC", requiredMode = Schema.RequiredMode.REQUIRED)
        Instant occurredAt,

        @Schema(
                description = "The refusing service",
                allowableValues = {"command-service", "query-service"},
                requiredMode = Schema.RequiredMode.REQUIRED)
        String service,

        @Schema(description = "401 or 403", requiredMode = Schema.RequiredMode.REQUIRED)
        int status,

        @Schema(
                description = "Why",
                allowableValues = {
                    "missing_token",
                    "invalid_token",
                    "malformed_authorization",
                    "unauthorized",
                    "api_key_presented",
                    "organization_mismatch",
                    "role_required"
                },
                requiredMode = Schema.RequiredMode.REQUIRED)
        String reason,

        @Schema(description = "HTTP method, or OTHER", requiredMode = Schema.RequiredMode.REQUIRED)
        String method,

        @Schema(
                description = "The route template the call matched (never the raw path); `(unmatched)` for"
                        + " none, `/actuator/**` on the management port",
                example = "/api/v1/organizations/{organizationId}/api-keys",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String route,

        @Schema(
                types = {"string", "null"},
                description = "The `sub` of a verified token (a 403); null for a 401",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String subject,

        @Schema(
                types = {"string", "null"},
                description = "The client address; null when it was not an IP literal",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String ip,

        @Schema(
                types = {"string", "null"},
                description = "The organization the call named in its path, else the verified token's",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String organizationId) {}
