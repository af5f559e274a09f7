package dev.keyledger.servicekit.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract's error body and a service's error responses, as reusable components
 * ({@code #/components/responses/NotFound} and so on), and the refusals every operation of its
 * kind can give, added where its annotations do not describe them.
 */
final class ErrorResponses {

    static final String ERROR_SCHEMA = "Error";
    static final String FIELD_ERROR_SCHEMA = "FieldError";

    /**
     * The codes every Keyledger API can answer (its filters, and Spring MVC's 405 and 406 before
     * a controller runs); a service's further refusals add theirs.
     */
    private static final List<String> COMMON_CODES = List.of(
            "VALIDATION_FAILED",
            "INVALID_TOKEN",
            "INSUFFICIENT_PERMISSIONS",
            "NOT_FOUND",
            "METHOD_NOT_ALLOWED",
            "NOT_ACCEPTABLE",
            "CONFLICT");

    private ErrorResponses() {}

    static void register(Components components, List<RefusalDescription> refusals) {
        List<String> codes = new ArrayList<>(COMMON_CODES);
        refusals.stream()
                .map(r -> r.refusal().code)
                .filter(code -> !codes.contains(code))
                .forEach(codes::add);
        components.addSchemas(
                FIELD_ERROR_SCHEMA,
                new ObjectSchema()
                        .description("One rejected field or parameter; the message names the rule, never the value.")
                        .addProperty("field", new StringSchema().example("allowed_origins[2]"))
                        .addProperty("message", new StringSchema().example("must not have a path"))
                        .required(List.of("field", "message")));
        components.addSchemas(
                ERROR_SCHEMA,
                new ObjectSchema()
                        .description("The error body of every Keyledger service. Never a stack trace; messages never"
                                + " echo input.")
                        .addProperty("error", new StringSchema().description("Short snake_case name of the status"))
                        .addProperty("message", new StringSchema().description("What went wrong, in English"))
                        .addProperty(
                                "code",
                                new StringSchema()
                                        .description("Stable machine-readable code")
                                        ._enum(codes))
                        .addProperty(
                                "details",
                                new ArraySchema()
                                        .description("The rejected fields (400 only)")
                                        .items(new Schema<>().$ref(FIELD_ERROR_SCHEMA)))
                        .required(List.of("error", "message", "code")));
        for (RefusalDescription refusal : refusals) {
            ApiResponse response = new ApiResponse()
                    .description(refusal.description())
                    .content(new Content()
                            .addMediaType(
                                    "application/json",
                                    new MediaType()
                                            .schema(new Schema<>().$ref(ERROR_SCHEMA))
                                            .example(refusal.example())));
            if (refusal.refusal() == Refusal.UNAUTHORIZED) {
                response.addHeaderObject(
                        "WWW-Authenticate", new Header().description("`Bearer`").schema(new StringSchema()));
            }
            components.addResponses(refusal.refusal().component, response);
        }
    }

    /**
     * Adds each of the service's refusals that applies to the operation ({@link
     * Refusal#appliesTo}) unless its annotations already describe that status, and describes the
     * path ids and the shared query parameters that the controller left undescribed.
     */
    static void addCommon(Operation operation, ApiDescription api) {
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        for (Parameter parameter : parameters) {
            if ("path".equals(parameter.getIn())) {
                describePathId(parameter);
            } else if ("query".equals(parameter.getIn()) && parameter.getDescription() == null) {
                parameter.description(api.queryParameterDescriptions().get(parameter.getName()));
            }
        }
        ApiResponses responses = operation.getResponses();
        for (RefusalDescription described : api.refusals()) {
            Refusal refusal = described.refusal();
            if (refusal.appliesTo(operation) && !responses.containsKey(refusal.status)) {
                responses.addApiResponse(refusal.status, new ApiResponse().$ref(refusal.component));
            }
        }
    }

    /** Path ids: a type prefix and a ULID; anything else is answered 404, like an unknown id. */
    private static void describePathId(Parameter parameter) {
        String prefix = switch (parameter.getName()) {
            case "organizationId" -> "org_";
            case "databaseId" -> "db_";
            case "keyId" -> "key_";
            default -> null;
        };
        if (prefix != null && parameter.getDescription() == null) {
            parameter.description("`" + prefix + "` and a ULID; a malformed id is 404, like an unknown one");
            parameter.example(prefix + "01JD8ZQ6Y0V7Q3C5N9K2M4P6R8");
        }
    }
}
