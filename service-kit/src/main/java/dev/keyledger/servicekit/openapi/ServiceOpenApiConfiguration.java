package dev.keyledger.servicekit.openapi;

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
import java.util.List;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What springdoc cannot see in the controllers of the command-service and the query-service (each
 * imports this and declares its {@link ApiDescription}): the bearer-JWT scheme every call needs,
 * the error body {@code {error, message, code, details?}}, the refusals that filters and the
 * exception handler give on every operation they apply to ({@link Refusal}), and snake_case
 * property names.
 */
@Configuration(proxyBeanMethods = false)
public class ServiceOpenApiConfiguration {

    /** The name of the security scheme every operation requires. */
    public static final String BEARER = "bearer_jwt";

    @Bean
    OpenAPI serviceApiDocument(ApiDescription api) {
        Components components = new Components()
                .addSecuritySchemes(
                        BEARER,
                        new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP)
                                .scheme("bearer")
                                .bearerFormat("JWT")
                                .description(api.bearerDescription()));
        ErrorResponses.register(components, api.refusals());
        return new OpenAPI()
                .info(new Info()
                        .title(api.title())
                        .version("v1")
                        .description(api.description())
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
                .servers(List.of(new Server().url("/").description(api.serverDescription())))
                .tags(api.tags())
                .components(components)
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /**
     * snake_case property names, as the services' JSON mappers write and read them (springdoc's own
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
    GlobalOperationCustomizer commonErrorResponses(ApiDescription api) {
        return (operation, handlerMethod) -> {
            ErrorResponses.addCommon(operation, api);
            return operation;
        };
    }
}
