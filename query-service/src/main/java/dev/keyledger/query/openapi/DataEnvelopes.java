package dev.keyledger.query.openapi;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import org.springframework.web.method.HandlerMethod;

/**
 * List calls return {@code Map.of("data", list)}, which springdoc would describe as a map of
 * arrays; the wire form is the object {@code {"data": [...]}}, so that is what the document says.
 */
final class DataEnvelopes {

    private DataEnvelopes() {}

    static void describe(Operation operation, HandlerMethod handlerMethod) {
        if (!isMapOfLists(handlerMethod.getMethod().getGenericReturnType()) || operation.getResponses() == null) {
            return;
        }
        ApiResponse ok = operation.getResponses().get("200");
        if (ok == null || ok.getContent() == null) {
            return;
        }
        for (MediaType media : ok.getContent().values()) {
            Schema<?> schema = media.getSchema();
            if (schema != null && schema.getAdditionalProperties() instanceof Schema<?> list) {
                media.setSchema(new ObjectSchema()
                        .addProperty("data", new ArraySchema().items(list.getItems()))
                        .required(List.of("data")));
            }
        }
    }

    private static boolean isMapOfLists(Type type) {
        return type instanceof ParameterizedType map
                && map.getRawType() == Map.class
                && map.getActualTypeArguments()[0] == String.class
                && map.getActualTypeArguments()[1] instanceof ParameterizedType list
                && list.getRawType() == List.class;
    }
}
