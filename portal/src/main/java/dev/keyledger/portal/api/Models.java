package dev.keyledger.portal.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the portal reads from the two APIs, field for field as CONTRACT.md names them (snake_case on
 * the wire). Unknown fields are ignored, so the APIs may grow without breaking the portal.
 */
public final class Models {

    private Models() {}

    /** A key of the read API; {@code key} only for public keys. */
    public record KeyView(
            String id,
            String type,
            String name,
            String organizationId,
            String databaseId,
            String key,
            String lastFour,
            Instant createdAt,
            String createdBy,
            Instant expiresAt,
            String replaces,
            String status,
            Instant revokedAt,
            String revokedBy,
            String replacedBy,
            Instant lastUsedAt,
            long usageCount) {

        /** The secret key as it may be shown: prefix and last four characters. */
        public String masked() {
            return ("public".equals(type) ? "pk_..." : "sk_...") + lastFour;
        }

        public boolean active() {
            return "active".equals(status);
        }

        public String scope() {
            return databaseId == null ? "Organization (every database)" : "Database " + databaseId;
        }
    }

    /**
     * The answer to a creation or a roll: the only time a secret key's plaintext exists outside the
     * command-service. Never stored, logged or put in a model that outlives the response.
     */
    public record IssuedKey(
            String id,
            String type,
            String name,
            String organizationId,
            String databaseId,
            String key,
            String lastFour,
            Instant createdAt,
            String createdBy,
            Instant expiresAt,
            String replaces,
            boolean replayed) {

        /** Keeps the plaintext out of logs and exception messages. */
        @Override
        public String toString() {
            return "IssuedKey[id=" + id + ", type=" + type + ", lastFour=" + lastFour + "]";
        }
    }

    public record Database(
            String id, String organizationId, String name, List<String> allowedOrigins, Instant createdAt) {}

    public record Limits(long requestsPerMinute, long requestsPerDay) {}

    /** {@code status} is {@code active} or {@code suspended}; a suspension has its reason. */
    public record Organization(
            String id,
            String name,
            String plan,
            Limits limits,
            Instant createdAt,
            String status,
            String suspendedReason,
            Instant suspendedAt) {

        public boolean suspended() {
            return "suspended".equals(status);
        }
    }

    public record UsageBucket(Instant start, long requests, long rejected) {}

    /** One key's requests over the range of an organization usage answer. */
    public record KeyUsage(String keyId, long requests, long rejected) {}

    /**
     * {@code GET /api/v1/organizations/{org}/usage}: the organization's totals per bucket and one
     * page of per-key sums.
     */
    public record OrganizationUsage(
            Instant from,
            Instant to,
            String interval,
            List<UsageBucket> totals,
            List<KeyUsage> keys,
            String nextCursor) {

        public OrganizationUsage {
            totals = totals == null ? List.of() : totals;
            keys = keys == null ? List.of() : keys;
        }
    }

    public record Actor(String subject, String ip, String userAgent) {}

    /** A refused call of the management or read API, from the security log. */
    public record SecurityLogEntry(
            String id,
            Instant occurredAt,
            String service,
            int status,
            String reason,
            String method,
            String route,
            String subject,
            String ip,
            String organizationId) {}

    public record AuditEntry(
            String eventId,
            String aggregateId,
            String aggregateType,
            long sequence,
            Long seq,
            String type,
            Instant occurredAt,
            Actor actor,
            Map<String, Object> details,
            KeyState state) {}

    /**
     * A key after one event of its history (query-service's extension of the history entry): its
     * status, name, expiry and successor then; {@code null} on audit-log entries.
     */
    public record KeyState(String status, String name, Instant expiresAt, String replacedBy) {}

    /**
     * One page of a paged list of the read API: {@code {"data":[...],"next_cursor":...,
     * "prev_cursor":...}}, a cursor {@code null} where no page follows or precedes.
     */
    public record CursorList<T>(List<T> data, String nextCursor, String prevCursor) {

        public CursorList {
            data = data == null ? List.of() : data;
        }
    }

    /** The {@code {"data": [...]}} envelope of the read API's lists. */
    public record DataList<T>(List<T> data) {

        public DataList {
            data = data == null ? List.of() : data;
        }
    }
}
