package dev.keyledger.portal.api;

import dev.keyledger.portal.api.Models.Database;
import dev.keyledger.portal.api.Models.IssuedKey;
import dev.keyledger.portal.api.Models.Organization;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * The management API (command-service), called with the user's token. Creations send the form's
 * single-use token as {@code Idempotency-Key}, so a request retried on the way is not a second key.
 */
public final class CommandApi {

    private static final String ORGANIZATIONS = "/api/v1/organizations";

    private final RestClient client;

    CommandApi(RestClient client) {
        this.client = client;
    }

    public IssuedKey createSecretKey(String organizationId, String name, Instant expiresAt, String idempotencyKey) {
        return post(
                ORGANIZATIONS + "/{org}/api-keys",
                idempotencyKey,
                keyBody(name, expiresAt),
                IssuedKey.class,
                organizationId);
    }

    public IssuedKey createPublicKey(
            String organizationId, String databaseId, String name, Instant expiresAt, String idempotencyKey) {
        return post(
                ORGANIZATIONS + "/{org}/databases/{db}/api-keys",
                idempotencyKey,
                keyBody(name, expiresAt),
                IssuedKey.class,
                organizationId,
                databaseId);
    }

    public IssuedKey roll(String organizationId, String keyId, long gracePeriodSeconds) {
        return client.post()
                .uri(ORGANIZATIONS + "/{org}/api-keys/{key}/roll", organizationId, keyId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("grace_period_seconds", gracePeriodSeconds))
                .retrieve()
                .body(IssuedKey.class);
    }

    public void revoke(String organizationId, String keyId) {
        client.delete()
                .uri(ORGANIZATIONS + "/{org}/api-keys/{key}", organizationId, keyId)
                .retrieve()
                .toBodilessEntity();
    }

    public Database createDatabase(
            String organizationId, String name, List<String> allowedOrigins, String idempotencyKey) {
        return post(
                ORGANIZATIONS + "/{org}/databases",
                idempotencyKey,
                Map.of("name", name, "allowed_origins", allowedOrigins),
                Database.class,
                organizationId);
    }

    public Database changeAllowedOrigins(String organizationId, String databaseId, List<String> allowedOrigins) {
        return client.put()
                .uri(ORGANIZATIONS + "/{org}/databases/{db}/allowed-origins", organizationId, databaseId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("allowed_origins", allowedOrigins))
                .retrieve()
                .body(Database.class);
    }

    public Organization createOrganization(String name, String plan, String idempotencyKey) {
        return post(ORGANIZATIONS, idempotencyKey, Map.of("name", name, "plan", plan), Organization.class);
    }

    public Organization changePlan(String organizationId, String plan, Long requestsPerMinute, Long requestsPerDay) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("plan", plan);
        if (requestsPerMinute != null || requestsPerDay != null) {
            Map<String, Object> limits = new LinkedHashMap<>();
            limits.put("requests_per_minute", requestsPerMinute);
            limits.put("requests_per_day", requestsPerDay);
            body.put("limits", limits);
        }
        return client.put()
                .uri(ORGANIZATIONS + "/{org}/plan", organizationId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .retrieve()
                .body(Organization.class);
    }

    public Organization suspend(String organizationId, String reason) {
        return client.post()
                .uri(ORGANIZATIONS + "/{org}/suspend", organizationId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("reason", reason))
                .retrieve()
                .body(Organization.class);
    }

    public Organization reactivate(String organizationId) {
        return client.post()
                .uri(ORGANIZATIONS + "/{org}/reactivate", organizationId)
                .retrieve()
                .body(Organization.class);
    }

    /** Revokes every usable key of the organization, or of one database; the number revoked. */
    public int revokeAll(String organizationId, String reason, String databaseId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", reason);
        if (databaseId != null) {
            body.put("database_id", databaseId);
        }
        RevokedCount answer = client.post()
                .uri(ORGANIZATIONS + "/{org}/api-keys/revoke-all", organizationId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .retrieve()
                .body(RevokedCount.class);
        return answer == null ? 0 : answer.revoked();
    }

    public void deleteDatabase(String organizationId, String databaseId) {
        client.delete()
                .uri(ORGANIZATIONS + "/{org}/databases/{db}", organizationId, databaseId)
                .retrieve()
                .toBodilessEntity();
    }

    record RevokedCount(int revoked) {}

    private static Map<String, Object> keyBody(String name, Instant expiresAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (expiresAt != null) {
            body.put("expires_at", expiresAt.toString());
        }
        return body;
    }

    private <T> T post(String path, String idempotencyKey, Object body, Class<T> type, Object... variables) {
        return client.post()
                .uri(path, variables)
                .header("Idempotency-Key", idempotencyKey)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .retrieve()
                .body(type);
    }
}
