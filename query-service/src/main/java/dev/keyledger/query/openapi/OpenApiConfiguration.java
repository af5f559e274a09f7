package dev.keyledger.query.openapi;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What springdoc cannot see in the controllers: the service's description, the bearer-JWT scheme,
 * the error body {@code {error, message, code, details?}}, the refusals that filters and the
 * exception handler give (401, 403 and 503 on every call, 404 on every call with a path id, 400 on
 * every call with a query parameter) and the {@code {"data": [...]}} envelope of the list calls.
 * Refusals particular to one call (409, 406) are annotated on its controller method.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String BEARER = "bearer_jwt";

    @Bean
    OpenAPI readApiDocument() {
        Components components = new Components()
                .addSecuritySchemes(
                        BEARER,
                        new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP)
                                .scheme("bearer")
                                .bearerFormat("JWT")
                                .description("An access token of the configured OpenID Connect issuer (RS256, with"
                                        + " `exp` and `sub`). The roles claim (default `roles`) holds `platform_admin`,"
                                        + " `org_admin` or `org_member`; the organization claim (default"
                                        + " `organization_id`) the organization of an `org_admin` or `org_member`."
                                        + " An `X-API-Key` is never accepted here."));
        ErrorResponses.register(components);
        return new OpenAPI()
                .info(new Info()
                        .title("Keyledger read API (query-service)")
                        .version("v1")
                        .description("Keys, usage, history, audit log, databases and organizations as projected from"
                                + " the write side's events: eventually consistent with the management API. Every"
                                + " call needs a bearer JWT: `org_member` or `org_admin` of the organization, or"
                                + " `platform_admin` (the descriptions name the exceptions). JSON with snake_case"
                                + " names, times ISO-8601 UTC. Every error is `{error, message, code, details?}`."
                                + " Full rules: docs/query-service.md.")
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
                .servers(List.of(new Server()
                        .url("/")
                        .description("The query-service that serves this document (by default"
                                + " http://localhost:8082; the address is a setting)")))
                .tags(List.of(
                        new Tag().name("api-keys").description("Keys, their usage and their history"),
                        new Tag().name("audit").description("The organization's audit log"),
                        new Tag().name("databases").description("Databases of an organization"),
                        new Tag().name("organizations").description("Organizations and their plans"),
                        new Tag().name("admin").description("Operating the read side (platform_admin)")))
                .components(components)
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /**
     * snake_case property names, as the service's JSON mapper writes and reads them (springdoc's own
     * resolver would use swagger's camelCase mapper), in OpenAPI 3.1 mode so that {@code types =
     * {"string", "null"}} becomes a nullable type.
     */
    @Bean
    ModelResolver snakeCaseModelResolver() {
        return new ModelResolver(Json31.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE))
                .openapi31(true);
    }

    /** The envelopes of list calls, and the refusals of the filters and the exception handler. */
    @Bean
    GlobalOperationCustomizer commonResponses() {
        return (operation, handlerMethod) -> {
            DataEnvelopes.describe(operation, handlerMethod);
            ErrorResponses.addCommon(operation);
            return operation;
        };
    }
}
