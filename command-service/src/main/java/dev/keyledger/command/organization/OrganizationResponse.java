package dev.keyledger.command.organization;

import java.time.Instant;

/** An organization as the management API returns it. */
record OrganizationResponse(String id, String name, String plan, Limits limits, Instant createdAt) {

    record Limits(long requestsPerMinute, long requestsPerDay) {}
}
