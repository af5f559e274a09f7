package dev.keyledger.command.idempotency;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

/**
 * The Idempotency-Key in the OpenAPI document, from the one place that implements it, so that no
 * controller repeats it: the header parameter and a 409 on every POST, the
 * {@code Idempotent-Replayed} header on their 2xx answers, the {@code replayed} member on the
 * objects they answer with, and what the shared 409 means for a key.
 */
@Configuration(proxyBeanMethods = false)
class IdempotencyOpenApi {

    private static final String CONFLICT = "Conflict";
    private static final String REPLAYED = "replayed";

    @Bean
    GlobalOperationCustomizer idempotencyKeyParameter() {
        return (operation, handlerMethod) -> {
            RequestMapping mapping =
                    AnnotatedElementUtils.findMergedAnnotation(handlerMethod.getMethod(), RequestMapping.class);
            if (mapping != null && Arrays.asList(mapping.method()).contains(RequestMethod.POST)) {
                describe(operation);
            }
            return operation;
        };
    }

    private static void describe(Operation operation) {
        operation.addParametersItem(new HeaderParameter()
                .name(IdempotencyKey.HEADER)
                .required(false)
                .description("1 to 255 printable ASCII characters, chosen by the client (a UUID, say). The same"
                        + " caller sending the same key with the same method, path and body within 24 hours gets"
                        + " the first 2xx answer again (status, `Location`, object) without the work being"
                        + " done twice, with `replayed: true` and without the `key` member; another body is"
                        + " 409; a malformed key (empty, too long, not printable ASCII, sent twice) is 400."
                        + " Refusals are not stored: after a 4xx the key is free.")
                .example("5b1c8f4e-2a57-4d1e-9d0a-6f3e2c1b7a90")
                .schema(new StringSchema()
                        .minLength(1)
                        .maxLength(IdempotencyKey.MAX_LENGTH)
                        .pattern("^[ -~]+$")));
        if (operation.getResponses() == null) {
            return;
        }
        operation.getResponses().forEach((status, response) -> {
            if (status.startsWith("2") && response.get$ref() == null) {
                response.addHeaderObject(
                        IdempotencyFilter.REPLAYED_HEADER,
                        new Header()
                                .description("`true` on an answer replayed for an `Idempotency-Key`; absent otherwise")
                                .schema(new StringSchema()._enum(List.of("true"))));
            }
        });
        if (!operation.getResponses().containsKey("409")) {
            operation
                    .getResponses()
                    .addApiResponse("409", new ApiResponse().$ref("#/components/responses/" + CONFLICT));
        }
    }

    @Bean
    GlobalOpenApiCustomizer idempotencyReplayedMember() {
        return openApi -> {
            if (openApi.getPaths() == null || openApi.getComponents() == null) {
                return;
            }
            Map<String, Schema> schemas = openApi.getComponents().getSchemas();
            for (PathItem path : openApi.getPaths().values()) {
                Operation post = path.getPost();
                if (post == null || post.getResponses() == null) {
                    continue;
                }
                post.getResponses().forEach((status, response) -> {
                    if (!status.startsWith("2") || response.getContent() == null) {
                        return;
                    }
                    for (MediaType media : response.getContent().values()) {
                        String ref = media.getSchema() == null
                                ? null
                                : media.getSchema().get$ref();
                        Schema<?> schema = ref == null || schemas == null
                                ? null
                                : schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
                        if (schema != null
                                && (schema.getProperties() == null
                                        || !schema.getProperties().containsKey(REPLAYED))) {
                            schema.addProperty(
                                    REPLAYED,
                                    new BooleanSchema()
                                            .description("Present, and `true`, only on an answer replayed for an"
                                                    + " `Idempotency-Key`"));
                        }
                    }
                });
            }
            conflictForKeys(openApi);
        };
    }

    private static void conflictForKeys(OpenAPI openApi) {
        ApiResponse conflict = openApi.getComponents().getResponses() == null
                ? null
                : openApi.getComponents().getResponses().get(CONFLICT);
        String addition = " With an `Idempotency-Key`: the key was used with another method, path or body, or"
                + " the first request with it is still running (then with `Retry-After`: retry the same request"
                + " later to get its answer).";
        if (conflict != null
                && conflict.getDescription() != null
                && !conflict.getDescription().endsWith(addition)) {
            conflict.setDescription(conflict.getDescription() + addition);
        }
        if (conflict != null
                && (conflict.getHeaders() == null || !conflict.getHeaders().containsKey("Retry-After"))) {
            conflict.addHeaderObject(
                    "Retry-After",
                    new Header()
                            .description("Seconds to wait before retrying; only when the first request with the"
                                    + " same `Idempotency-Key` is still in progress")
                            .schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE)));
        }
    }
}
