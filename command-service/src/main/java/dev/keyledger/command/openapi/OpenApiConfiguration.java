package dev.keyledger.command.openapi;

import dev.keyledger.command.security.Caller;
import dev.keyledger.servicekit.openapi.ApiDescription;
import dev.keyledger.servicekit.openapi.Refusal;
import dev.keyledger.servicekit.openapi.ServiceOpenApiConfiguration;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The management API's own words in its OpenAPI document: title, description, tags and what each
 * refusal means here. The bearer scheme, the error body and the refusals every call of a kind can
 * give (401 and 403 on every call, 404 on every call with a path id, 400/413/415 on every call
 * with a body) are the service kit's; refusals particular to one call (409) are annotated on its
 * controller method.
 */
@Configuration(proxyBeanMethods = false)
@Import(ServiceOpenApiConfiguration.class)
class OpenApiConfiguration {

    static {
        // The caller is resolved from the JWT (CallerArgumentResolver), not from the request.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    ApiDescription managementApiDescription() {
        return new ApiDescription(
                "Keyledger management API (command-service)",
                "Organizations, databases and API keys: the write side of Keyledger. Every call needs a bearer"
                        + " JWT; which role each call needs is in its description. Bodies are JSON with snake_case"
                        + " names, times ISO-8601 UTC (`Z`). Every error is `{error, message, code, details?}`."
                        + " Full rules: docs/command-service.md.",
                "The command-service that serves this document (by default http://localhost:8081; the address is a"
                        + " setting)",
                "An access token of the configured OpenID Connect issuer (RS256, with `exp` and `sub`). The roles"
                        + " claim (default `roles`) holds `platform_admin`, `org_admin` or `org_member`; the"
                        + " organization claim (default `organization_id`) the organization of an `org_admin`. An"
                        + " `X-API-Key` is never accepted here: API keys cannot manage API keys.",
                List.of(
                        new Tag().name("organizations").description("Organizations and their plans (platform_admin)"),
                        new Tag().name("databases").description("Databases and their allowed origins (org_admin)"),
                        new Tag().name("api-keys").description("Secret and public API keys (org_admin)")),
                List.of(
                        Refusal.BAD_REQUEST.described(
                                "Invalid input: a field or parameter breaks a rule (named in `details`), or the body"
                                        + " is not one JSON object of the documented members (malformed, unknown or"
                                        + " duplicate members, wrong JSON types).",
                                "The request is invalid",
                                "name",
                                "must be 1 to 100 characters"),
                        Refusal.UNAUTHORIZED.described(
                                "No, malformed, expired or foreign-signed bearer token, or two `Authorization`"
                                        + " headers.",
                                "Missing or invalid bearer token"),
                        Refusal.FORBIDDEN.described(
                                "The token lacks the role this call needs, or names another organization; or the"
                                        + " request carries an `X-API-Key` instead of a bearer token.",
                                "API keys cannot manage API keys"),
                        Refusal.NOT_FOUND.described(
                                "The organization, database or key does not exist, belongs to another organization,"
                                        + " or its id is malformed: one answer for all.",
                                "unknown key"),
                        Refusal.CONFLICT.described(
                                "The aggregate's state does not allow the change (a rolled, revoked or expired key),"
                                        + " or a concurrent change won.",
                                "The key can no longer be rolled"),
                        Refusal.PAYLOAD_TOO_LARGE.described(
                                "The body is over 64 KiB (by `Content-Length`, or counted while reading a chunked"
                                        + " body).",
                                "Request body exceeds 65536 bytes"),
                        Refusal.UNSUPPORTED_MEDIA_TYPE.described(
                                "The body is not `application/json`.", "Content-Type must be application/json")),
                Map.of());
    }
}
