package dev.keyledger.portal.api;

import dev.keyledger.portal.api.Models.AuditEntry;
import dev.keyledger.portal.api.Models.DataList;
import dev.keyledger.portal.api.Models.Database;
import dev.keyledger.portal.api.Models.KeyView;
import dev.keyledger.portal.api.Models.Organization;
import dev.keyledger.portal.api.Models.OrganizationUsage;
import dev.keyledger.portal.api.Models.UsageBucket;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriBuilder;

/** The read API (query-service), called with the user's token. */
public final class QueryApi {

    private static final String ORGANIZATION = "/api/v1/organizations/{org}";
    private static final String NDJSON = "application/x-ndjson";

    private final RestClient client;

    QueryApi(RestClient client) {
        this.client = client;
    }

    /** The organization's keys of one type ({@code secret} or {@code public}), optionally of one database. */
    public List<KeyView> keys(String organizationId, String type, String databaseId) {
        return client.get()
                .uri(builder -> {
                    UriBuilder uri = builder.path(ORGANIZATION + "/api-keys").queryParam("type", type);
                    if (databaseId != null) {
                        uri.queryParam("database_id", databaseId);
                    }
                    return uri.build(organizationId);
                })
                .retrieve()
                .body(new ParameterizedTypeReference<DataList<KeyView>>() {})
                .data();
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

    public List<AuditEntry> auditLog(String organizationId, Instant from, Instant to) {
        return client.get()
                .uri(builder -> range(builder.path(ORGANIZATION + "/audit-log"), from, to)
                        .build(organizationId))
                .retrieve()
                .body(new ParameterizedTypeReference<DataList<AuditEntry>>() {})
                .data();
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
