package dev.keyledger.command.database;

import java.time.Instant;
import java.util.List;

/** A database as the management API returns it. */
record DatabaseResponse(
        String id, String organizationId, String name, List<String> allowedOrigins, Instant createdAt) {}
