package dev.keyledger.contracts.securitylog;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * One refused call (401 or 403) of the management API or the read API, as published on {@code
 * keyledger.security-log} (record key: the organization id, or none) and stored by the
 * query-service. Every value is bounded here, so a record that reaches a consumer either fits the
 * table or is refused whole: the compact constructor throws {@link IllegalArgumentException} on any
 * value out of bounds, and a consumer skips such a record. Producers bound the values they take from
 * a request before building one (the service kit's recorder), so none of theirs is refused.
 *
 * @param id random id of this refusal, the consumer's deduplication key (at-least-once delivery)
 * @param occurredAt when the refusal was answered
 * @param service {@code command-service} or {@code query-service}
 * @param status 401 or 403
 * @param reason a {@link RefusalReason} wire name: lowercase letters and underscores, at most
 *     {@value #MAX_REASON_LENGTH} characters (an unknown one from a newer producer is kept)
 * @param method the HTTP method, or {@code OTHER} for one outside {@link #METHODS}
 * @param route the route template the call matched (such as {@code
 *     /api/v1/organizations/{organizationId}/api-keys}), never the raw path; {@link #UNMATCHED_ROUTE}
 *     when it matched none
 * @param subject the {@code sub} of a verified token, or {@code null}: the subject of a token that
 *     failed verification is never recorded, since anybody can write one
 * @param ip the client address (the peer, or the first {@code X-Forwarded-For} entry where that is
 *     trusted); {@code null} when it is not an IP literal
 * @param organizationId the organization the call named in its path, else the verified token's; a
 *     well-formed {@code org_} id or {@code null}
 */
public record SecurityRefusal(
        UUID id,
        Instant occurredAt,
        String service,
        int status,
        String reason,
        String method,
        String route,
        String subject,
        String ip,
        String organizationId) {

    public static final int MAX_SERVICE_LENGTH = 32;
    public static final int MAX_REASON_LENGTH = 40;
    public static final int MAX_ROUTE_LENGTH = 200;
    public static final int MAX_SUBJECT_LENGTH = 255;
    /** Longest IPv6 literal with an IPv4 tail (45 characters). */
    public static final int MAX_IP_LENGTH = 45;

    public static final int MAX_ORGANIZATION_ID_LENGTH = 64;

    /** Route of a call that matched no route of the service (an unknown path). */
    public static final String UNMATCHED_ROUTE = "(unmatched)";

    /** The methods recorded by name; any other is {@code OTHER}. */
    public static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    public SecurityRefusal {
        require(id != null, "id");
        require(occurredAt != null, "occurred_at");
        require(service != null && !service.isEmpty() && service.length() <= MAX_SERVICE_LENGTH, "service");
        require(status == 401 || status == 403, "status");
        require(reason != null && reason.matches("[a-z_]{1," + MAX_REASON_LENGTH + "}"), "reason");
        require(method != null && (METHODS.contains(method) || method.equals("OTHER")), "method");
        require(route != null && !route.isEmpty() && route.length() <= MAX_ROUTE_LENGTH, "route");
        require(subject == null || (!subject.isEmpty() && subject.length() <= MAX_SUBJECT_LENGTH), "subject");
        require(ip == null || (!ip.isEmpty() && ip.length() <= MAX_IP_LENGTH), "ip");
        require(organizationId == null || wellFormedOrganizationId(organizationId), "organization_id");
    }

    /** {@code org_} followed by 1 to 60 ASCII letters and digits. */
    public static boolean wellFormedOrganizationId(String value) {
        if (value == null
                || value.length() <= 4
                || value.length() > MAX_ORGANIZATION_ID_LENGTH
                || !value.startsWith("org_")) {
            return false;
        }
        for (int i = 4; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    private static void require(boolean condition, String field) {
        if (!condition) {
            throw new IllegalArgumentException("security refusal: " + field + " is missing or out of bounds");
        }
    }
}
