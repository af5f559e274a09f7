package dev.keyledger.command.openapi;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.keyledger.command.security.Caller;
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
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What springdoc cannot see in the controllers: the service's description, the bearer-JWT scheme
 * every call needs, the error body {@code {error, message, code, details?}} and the refusals that
 * filters and the exception handler give (401 and 403 on every call, 404 on every call with a path
 * id, 400/413/415 on every call with a body). Refusals particular to one call (409) are annotated
 * on its controller method.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String BEARER = "bearer_jwt";

    static {
        // The caller is resolved from the JWT (CallerArgumentResolver), not from the request.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    OpenAPI managementApiDocument() {
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
                                        + " `organization_id`) the organization of an `org_admin`. An `X-API-Key`"
                                        + " is never accepted here: API keys cannot manage API keys."));
        ErrorResponses.register(components);
        return new OpenAPI()
                .info(new Info()
                        .title("Keyledger management API (command-service)")
                        .version("v1")
                        .description("Organizations, databases and API keys: the write side of Keyledger. Every call"
                                + " needs a bearer JWT; which role each call needs is in its description. Bodies are"
                                + " JSON with snake_case names, times ISO-8601 UTC (`Z`). Every error is"
                                + " `{error, message, code, details?}`. Full rules: docs/command-service.md.")
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
                .servers(List.of(new Server()
                        .url("/")
                        .description("The command-service that serves this document (by default"
                                + " http://localhost:8081; the address is a setting)")))
                .tags(List.of(
                        new Tag().name("organizations").description("Organizations and their plans (platform_admin)"),
                        new Tag().name("databases").description("Databases and their allowed origins (org_admin)"),
                        new Tag().name("api-keys").description("Secret and public API keys (org_admin)")))
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

    /** The refusals of the filters and the exception handler, on every operation they apply to. */
    @Bean
    GlobalOperationCustomizer commonErrorResponses() {
        return (operation, handlerMethod) -> {
            ErrorResponses.addCommon(operation);
            return operation;
        };
    }
}
