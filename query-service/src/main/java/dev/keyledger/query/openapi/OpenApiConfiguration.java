package dev.keyledger.query.openapi;

import dev.keyledger.servicekit.openapi.ApiDescription;
import dev.keyledger.servicekit.openapi.Refusal;
import dev.keyledger.servicekit.openapi.ServiceOpenApiConfiguration;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The read API's own words in its OpenAPI document: title, description, tags, what each refusal
 * means here and the query parameters every paged or ranged call shares; and the {@code {"data":
 * [...]}} envelope of the list calls. The bearer scheme, the error body and the refusals every
 * call of a kind can give (401, 403 and 503 on every call, 404 on every call with a path id, 400
 * on every call with a query parameter) are the service kit's; refusals particular to one call
 * (409, 406) are annotated on its controller method.
 */
@Configuration(proxyBeanMethods = false)
@Import(ServiceOpenApiConfiguration.class)
class OpenApiConfiguration {

    @Bean
    ApiDescription readApiDescription() {
        return new ApiDescription(
                "Keyledger read API (query-service)",
                "Keys, usage, history, audit log, databases and organizations as projected from the write side's"
                        + " events: eventually consistent with the management API. Every call needs a bearer JWT:"
                        + " `org_member` or `org_admin` of the organization, or `platform_admin` (the descriptions"
                        + " name the exceptions). JSON with snake_case names, times ISO-8601 UTC. Every error is"
                        + " `{error, message, code, details?}`. Full rules: docs/query-service.md.",
                "The query-service that serves this document (by default http://localhost:8082; the address is a"
                        + " setting)",
                "An access token of the configured OpenID Connect issuer (RS256, with `exp` and `sub`). The roles"
                        + " claim (default `roles`) holds `platform_admin`, `org_admin` or `org_member`; the"
                        + " organization claim (default `organization_id`) the organization of an `org_admin` or"
                        + " `org_member`. An `X-API-Key` is never accepted here.",
                List.of(
                        new Tag().name("api-keys").description("Keys, their usage and their history"),
                        new Tag().name("audit").description("The organization's audit log"),
                        new Tag().name("databases").description("Databases of an organization"),
                        new Tag().name("organizations").description("Organizations and their plans"),
                        new Tag().name("admin").description("Operating the read side (platform_admin)")),
                List.of(
                        Refusal.BAD_REQUEST.described(
                                "A query parameter breaks its rule (named in `details`): a time that is not ISO-8601"
                                        + " UTC, `from` after `to`, an unknown `type`, `status`, `interval` or `sort`, a"
                                        + " bad `limit` or `cursor`.",
                                "The request is invalid",
                                "from",
                                "must be an ISO-8601 UTC instant"),
                        Refusal.UNAUTHORIZED.described(
                                "No, malformed, expired or foreign-signed bearer token, or two `Authorization`"
                                        + " headers.",
                                "Missing or invalid bearer token"),
                        Refusal.FORBIDDEN.described(
                                "The token's roles do not allow this call, or it names another organization; or the"
                                        + " request carries an `X-API-Key` instead of a bearer token.",
                                "Not allowed for this organization"),
                        Refusal.NOT_FOUND.described(
                                "The organization or key does not exist, belongs to another organization, or its id"
                                        + " is malformed: one answer for all.",
                                "No such API key"),
                        Refusal.NOT_ACCEPTABLE.described(
                                "`Accept` names no media type this call can answer with.",
                                "Accept application/json or application/x-ndjson"),
                        Refusal.CONFLICT.described(
                                "The state does not allow the request (a rebuild is already running).",
                                "A rebuild is already running"),
                        Refusal.SERVICE_UNAVAILABLE.described(
                                "The read API is at a limit (no free database connection in time, a statement"
                                        + " timeout, too many open streams); retry after `Retry-After` seconds.",
                                "The read API is busy; try again shortly")),
                Map.of(
                        "from", "Start of the range, inclusive: ISO-8601 UTC (`2026-01-01T00:00:00Z`)",
                        "to", "End of the range, exclusive: ISO-8601 UTC; default now",
                        "limit", "Rows per page, 1 to 1000; default 100",
                        "cursor",
                                "A `next_cursor` or `prev_cursor` of the previous page, opaque; valid only with the"
                                        + " same filters and sort"));
    }

    /** List calls answer {@code {"data": [...]}}, not the map of arrays springdoc would infer. */
    @Bean
    GlobalOperationCustomizer dataEnvelopes() {
        return (operation, handlerMethod) -> {
            DataEnvelopes.describe(operation, handlerMethod);
            return operation;
        };
    }
}
