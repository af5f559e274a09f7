package dev.keyledger.servicekit.openapi;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.util.List;

/**
 * The error statuses a Keyledger API documents as reusable responses: the component name that
 * controller annotations use ({@code ref = "NotFound"}), the contract's {@code error} and {@code
 * code}, and on which operations the document adds it without an annotation.
 */
public enum Refusal {
    BAD_REQUEST("400", "BadRequest", "bad_request", "VALIDATION_FAILED"),
    UNAUTHORIZED("401", "Unauthorized", "unauthorized", "INVALID_TOKEN"),
    FORBIDDEN("403", "Forbidden", "forbidden", "INSUFFICIENT_PERMISSIONS"),
    NOT_FOUND("404", "NotFound", "not_found", "NOT_FOUND"),
    NOT_ACCEPTABLE("406", "NotAcceptable", "not_acceptable", "NOT_ACCEPTABLE"),
    CONFLICT("409", "Conflict", "conflict", "CONFLICT"),
    PAYLOAD_TOO_LARGE("413", "PayloadTooLarge", "payload_too_large", "PAYLOAD_TOO_LARGE"),
    UNSUPPORTED_MEDIA_TYPE("415", "UnsupportedMediaType", "unsupported_media_type", "UNSUPPORTED_MEDIA_TYPE"),
    SERVICE_UNAVAILABLE("503", "ServiceUnavailable", "service_unavailable", "SERVICE_UNAVAILABLE");

    /** The status, and the name under {@code #/components/responses/}. */
    final String status;

    final String component;

    /** The contract's {@code error} and {@code code} of the example body. */
    final String error;

    final String code;

    Refusal(String status, String component, String error, String code) {
        this.status = status;
        this.component = component;
        this.error = error;
        this.code = code;
    }

    /** This refusal with the service's own words for it and the message of its example body. */
    public RefusalDescription described(String description, String exampleMessage) {
        return new RefusalDescription(this, description, exampleMessage, null);
    }

    /** As {@link #described(String, String)}, with one rejected field in the example (400). */
    public RefusalDescription described(String description, String exampleMessage, String field, String rule) {
        return new RefusalDescription(this, description, exampleMessage, new RefusalDescription.Detail(field, rule));
    }

    /**
     * Whether every operation of this shape can be given this refusal by the filters or the
     * exception handler: 400 with a body or a query parameter; 401 and 403 unless the operation's
     * security is empty (anyone may call it); 404 with a path id; 413 and 415 with a body; 503 on
     * every call. 406 and 409 are particular to a call and annotated on its controller method.
     */
    boolean appliesTo(Operation operation) {
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        boolean body = operation.getRequestBody() != null;
        boolean query = parameters.stream().anyMatch(p -> "query".equals(p.getIn()));
        boolean pathIds = parameters.stream().anyMatch(p -> "path".equals(p.getIn()));
        boolean anonymous =
                operation.getSecurity() != null && operation.getSecurity().isEmpty();
        return switch (this) {
            case BAD_REQUEST -> body || query;
            case UNAUTHORIZED, FORBIDDEN -> !anonymous;
            case NOT_FOUND -> pathIds;
            case NOT_ACCEPTABLE, CONFLICT -> false;
            case PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE -> body;
            case SERVICE_UNAVAILABLE -> true;
        };
    }
}
