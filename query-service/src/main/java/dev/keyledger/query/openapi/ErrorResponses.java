package dev.keyledger.query.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.swagger.v3.core.util.Json;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract's error body and the error responses of the read API, as reusable
 * components ({@code #/components/responses/NotFound} and so on, which controller annotations
 * name with {@code ref = "NotFound"}).
 */
final class ErrorResponses {

    static final String ERROR_SCHEMA = "Error";
    static final String FIELD_ERROR_SCHEMA = "FieldError";

    /** status -> component name, summary, example body. */
    private static final Map<String, String[]> RESPONSES = new LinkedHashMap<>();

    static {
        RESPONSES.put("400", new String[] {
            "BadRequest",
            "A query parameter breaks its rule (named in `details`): a time that is not ISO-8601 UTC, `from`"
                    + " after `to`, an unknown `type`, `status`, `interval` or `sort`, a bad `limit` or `cursor`.",
            "{\"error\":\"bad_request\",\"message\":\"The request is invalid\",\"code\":\"VALIDATION_FAILED\","
                    + "\"details\":[{\"field\":\"from\",\"message\":\"must be an ISO-8601 UTC instant\"}]}"
        });
        RESPONSES.put("401", new String[] {
            "Unauthorized",
            "No, malformed, expired or foreign-signed bearer token, or two `Authorization` headers.",
            "{\"error\":\"unauthorized\",\"message\":\"Missing or invalid bearer token\",\"code\":\"INVALID_TOKEN\"}"
        });
        RESPONSES.put("403", new String[] {
            "Forbidden",
            "The token's roles do not allow this call, or it names another organization; or the request"
                    + " carries an `X-API-Key` instead of a bearer token.",
            "{\"error\":\"forbidden\",\"message\":\"Not allowed for this organization\","
                    + "\"code\":\"INSUFFICIENT_PERMISSIONS\"}"
        });
        RESPONSES.put("404", new String[] {
            "NotFound",
            "The organization or key does not exist, belongs to another organization, or its id is"
                    + " malformed: one answer for all.",
            "{\"error\":\"not_found\",\"message\":\"No such API key\",\"code\":\"NOT_FOUND\"}"
        });
        RESPONSES.put("406", new String[] {
            "NotAcceptable",
            "`Accept` names no media type this call can answer with.",
            "{\"error\":\"not_acceptable\",\"message\":\"Accept application/json or application/x-ndjson\","
                    + "\"code\":\"NOT_ACCEPTABLE\"}"
        });
        RESPONSES.put("409", new String[] {
            "Conflict",
            "The state does not allow the request (a rebuild is already running).",
            "{\"error\":\"conflict\",\"message\":\"A rebuild is already running\",\"code\":\"CONFLICT\"}"
        });
        RESPONSES.put("503", new String[] {
            "ServiceUnavailable",
            "The read API is at a limit (no free database connection in time, a statement timeout, too many"
                    + " open streams); retry after `Retry-After` seconds.",
            "{\"error\":\"service_unavailable\",\"message\":\"The read API is busy; try again shortly\","
                    + "\"code\":\"SERVICE_UNAVAILABLE\"}"
        });
    }

    private ErrorResponses() {}

    static void register(Components components) {
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
                                        ._enum(List.of(
                                                "VALIDATION_FAILED",
                                                "INVALID_TOKEN",
                                                "INSUFFICIENT_PERMISSIONS",
                                                "NOT_FOUND",
                                                "METHOD_NOT_ALLOWED",
                                                "NOT_ACCEPTABLE",
                                                "CONFLICT",
                                                "SERVICE_UNAVAILABLE")))
                        .addProperty(
                                "details",
                                new ArraySchema()
                                        .description("The rejected fields (400 only)")
                                        .items(new Schema<>().$ref(FIELD_ERROR_SCHEMA)))
                        .required(List.of("error", "message", "code")));
        RESPONSES.forEach((status, response) -> {
            ApiResponse apiResponse = new ApiResponse()
                    .description(response[1])
                    .content(new Content()
                            .addMediaType(
                                    "application/json",
                                    new MediaType()
                                            .schema(new Schema<>().$ref(ERROR_SCHEMA))
                                            .example(parse(response[2]))));
            if (status.equals("401")) {
                apiResponse.addHeaderObject(
                        "WWW-Authenticate", new Header().description("`Bearer`").schema(new StringSchema()));
            }
            components.addResponses(response[0], apiResponse);
        });
    }

    /**
     * Adds the refusals every call of its kind can give, unless the method's annotations already
     * describe them: 401 and 403 (a JWT and a role; not on a call whose security is empty, which
     * anyone may read), 404 (a path id), 400 (a query parameter), 503 (every read).
     */
    static void addCommon(Operation operation) {
        ApiResponses responses = operation.getResponses();
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        parameters.stream().filter(p -> "path".equals(p.getIn())).forEach(ErrorResponses::describePathId);
        parameters.stream().filter(p -> "query".equals(p.getIn())).forEach(ErrorResponses::describeQueryParameter);
        boolean pathIds = parameters.stream().anyMatch(p -> "path".equals(p.getIn()));
        boolean query = parameters.stream().anyMatch(p -> "query".equals(p.getIn()));
        boolean anonymous =
                operation.getSecurity() != null && operation.getSecurity().isEmpty();
        if (query) {
            add(responses, "400");
        }
        if (!anonymous) {
            add(responses, "401");
            add(responses, "403");
        }
        if (pathIds) {
            add(responses, "404");
        }
        add(responses, "503");
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

    /** The query parameters every paged or ranged call shares, described once. */
    private static void describeQueryParameter(Parameter parameter) {
        if (parameter.getDescription() != null) {
            return;
        }
        String description = switch (parameter.getName()) {
            case "from" -> "Start of the range, inclusive: ISO-8601 UTC (`2026-01-01T00:00:00Z`)";
            case "to" -> "End of the range, exclusive: ISO-8601 UTC; default now";
            case "limit" -> "Rows per page, 1 to 1000; default 100";
            case "cursor" ->
                "A `next_cursor` or `prev_cursor` of the previous page, opaque; valid only"
                        + " with the same filters and sort";
            default -> null;
        };
        if (description != null) {
            parameter.description(description);
        }
    }

    private static void add(ApiResponses responses, String status) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().$ref(RESPONSES.get(status)[0]));
        }
    }

    private static Object parse(String json) {
        try {
            return Json.mapper().readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad example " + json, e);
        }
    }
}
