package dev.keyledger.portal.api;

import dev.keyledger.portal.api.Models.AuditEntry;
import dev.keyledger.portal.api.Models.CursorList;
import dev.keyledger.portal.api.Models.DataList;
import dev.keyledger.portal.api.Models.Database;
import dev.keyledger.portal.api.Models.KeyView;
import dev.keyledger.portal.api.Models.Organization;
import dev.keyledger.portal.api.Models.OrganizationUsage;
import dev.keyledger.portal.api.Models.SecurityLogEntry;
import dev.keyledger.portal.api.Models.UsageBucket;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriBuilder;

/** The read API (query-service), called with the user's token. */
public final class QueryApi {

    private static final String ORGANIZATION = "/api/v1/organizations/{org}";
    private static final String NDJSON = "application/x-ndjson";

    /** The read API's largest page. */
    private static final int LARGEST_PAGE = 1000;

    private final RestClient client;

    QueryApi(RestClient client) {
        this.client = client;
    }

    /**
     * Every key of one type ({@code secret} or {@code public}), optionally of one database, in
     * creation order: follows {@code next_cursor} through pages of {@value #LARGEST_PAGE}. For the
     * rare caller that needs them all; pages show {@link #keyPage} instead.
     */
    public List<KeyView> keys(String organizationId, String type, String databaseId) {
        List<KeyView> all = new ArrayList<>();
        String cursor = null;
        do {
            CursorList<KeyView> page = keyPage(organizationId, type, databaseId, null, null, LARGEST_PAGE, cursor);
            all.addAll(page.data());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    /**
     * One page of the organization's keys: {@code type}, {@code databaseId}, {@code status} and
     * {@code sort} as the read API names them (each {@code null} for none or the default), at most
     * {@code limit} keys, from {@code cursor} (a {@code next_cursor} or {@code prev_cursor} of the
     * same sort and filters; {@code null} for the first page).
     */
    public CursorList<KeyView> keyPage(
            String organizationId,
            String type,
            String databaseId,
            String status,
            String sort,
            int limit,
            String cursor) {
        return client.get()
                .uri(builder -> {
                    UriBuilder uri = builder.path(ORGANIZATION + "/api-keys");
                    optional(uri, "type", type);
                    optional(uri, "database_id", databaseId);
                    optional(uri, "status", status);
                    optional(uri, "sort", sort);
                    uri.queryParam("limit", limit);
                    optional(uri, "cursor", cursor);
                    return uri.build(organizationId);
                })
                .retrieve()
                .body(new ParameterizedTypeReference<CursorList<KeyView>>() {});
    }

    public KeyView key(String organizationId, String keyId) {
        return client.get()
                .uri(ORGANIZATION + "/api-keys/{key}", organizationId, keyId)
                .retrieve()
                .body(KeyView.class);
    }

    public List<AuditEntry> history(String organizationId, String keyId) {
        return client.get()
                .uri(ORGANIZATION + "/api-keys/{key}/history", organizationId, keyId)
                .retrieve()
                .body(new ParameterizedTypeReference<DataList<AuditEntry>>() {})
                .data();
    }

    public List<UsageBucket> usage(String organizationId, String keyId, Instant from, Instant to, String interval) {
        return client.get()
                .uri(builder -> builder.path(ORGANIZATION + "/api-keys/{key}/usage")
                        .queryParam("from", from)
                        .queryParam("to", to)
                        .queryParam("interval", interval)
                        .build(organizationId, keyId))
                .retrieve()
                .body(new ParameterizedTypeReference<DataList<UsageBucket>>() {})
                .data();
    }

    /**
     * The organization's usage totals from {@code from} to now per {@code interval} ({@code hour} or
     * {@code day}) and the first {@code limit} per-key rows: one call, however many keys there are.
     */
    public OrganizationUsage organizationUsage(String organizationId, Instant from, String interval, int limit) {
        return client.get()
                .uri(builder -> builder.path(ORGANIZATION + "/usage")
                        .queryParam("from", from)
                        .queryParam("interval", interval)
                        .queryParam("limit", limit)
                        .build(organizationId))
                .retrieve()
                .body(OrganizationUsage.class);
    }

    public List<Database> databases(String organizationId) {
        return client.get()
                .uri(ORGANIZATION + "/databases", organizationId)
                .retrieve()
                .body(new ParameterizedTypeReference<DataList<Database>>() {})
                .data();
    }

    /**
     * One page of the audit log within [{@code from}, {@code to}) in {@code sort} order
     * ({@code occurred_at} or {@code -occurred_at}), at most {@code limit} entries, from {@code cursor}.
     */
    public CursorList<AuditEntry> auditPage(
            String organizationId, Instant from, Instant to, String sort, int limit, String cursor) {
        return client.get()
                .uri(builder -> {
                    UriBuilder uri = range(builder.path(ORGANIZATION + "/audit-log"), from, to);
                    optional(uri, "sort", sort);
                    uri.queryParam("limit", limit);
                    optional(uri, "cursor", cursor);
                    return uri.build(organizationId);
                })
                .retrieve()
                .body(new ParameterizedTypeReference<CursorList<AuditEntry>>() {});
    }

    /** Copies the NDJSON audit log to {@code out} as it arrives, never holding it in memory. */
    public void streamAuditLog(String organizationId, Instant from, Instant to, OutputStream out) {
        client.get()
                .uri(builder -> range(builder.path(ORGANIZATION + "/audit-log"), from, to)
                        .build(organizationId))
                .header("Accept", NDJSON)
                .exchange((request, response) -> {
                    if (response.getStatusCode().isError()) {
                        throw ApiConfiguration.refusal(response);
                    }
                    try {
                        response.getBody().transferTo(out);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return null;
                });
    }

    public List<Organization> organizations() {
        return client.get()
                .uri("/api/v1/organizations")
                .retrieve()
                .body(new ParameterizedTypeReference<DataList<Organization>>() {})
                .data();
    }

    public Organization organization(String organizationId) {
        return client.get().uri(ORGANIZATION, organizationId).retrieve().body(Organization.class);
    }

    /**
     * Adds {@code name=value} unless {@code value} is null. Values are ids, the read API's sort
     * names and cursors (base64url), checked by the caller: nothing in them needs encoding.
     */
    /** One page of the security log (platform_admin), newest first; {@code organizationId} optional. */
    public CursorList<SecurityLogEntry> securityLogPage(
            Instant from, Instant to, String organizationId, int limit, String cursor) {
        return client.get()
                .uri(builder -> {
                    UriBuilder uri = range(builder.path("/api/v1/security-log"), from, to);
                    optional(uri, "organization_id", organizationId);
                    uri.queryParam("limit", limit);
                    optional(uri, "cursor", cursor);
                    return uri.build();
                })
                .retrieve()
                .body(new ParameterizedTypeReference<CursorList<SecurityLogEntry>>() {});
    }

    private static void optional(UriBuilder uri, String name, String value) {
        if (value != null) {
            uri.queryParam(name, value);
        }
    }

    private static UriBuilder range(UriBuilder builder, Instant from, Instant to) {
        if (from != null) {
            builder.queryParam("from", from);
        }
        if (to != null) {
            builder.queryParam("to", to);
        }
        return builder;
    }
}
