package dev.keyledger.servicekit.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The contract's error JSON, {@code {"error","message","code","details"?}}, as the security filters
 * write it (the services' own web layers answer the same shape).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String message, String code, List<FieldError> details) {

    public static final String INVALID_TOKEN = "INVALID_TOKEN";
    public static final String INSUFFICIENT_PERMISSIONS = "INSUFFICIENT_PERMISSIONS";
    public static final String SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";

    /** One invalid field of a request. */
    public record FieldError(String field, String message) {}

    public static ErrorBody invalidToken() {
        return new ErrorBody("unauthorized", "Missing or invalid bearer token", INVALID_TOKEN, null);
    }

    public static ErrorBody forbidden(String message) {
        return new ErrorBody("forbidden", message, INSUFFICIENT_PERMISSIONS, null);
    }

    /** 503: the token could not be checked (the identity provider's keys did not answer). */
    public static ErrorBody tokenVerificationUnavailable() {
        return new ErrorBody(
                "service_unavailable", "Token verification is temporarily unavailable", SERVICE_UNAVAILABLE, null);
    }
}
