package dev.keyledger.command.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The error body of every service: {@code {"error","message","code","details"?}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResponse(String error, String message, String code, List<FieldError> details) {

    public static final String VALIDATION_FAILED = "VALIDATION_FAILED";
    public static final String INVALID_TOKEN = "INVALID_TOKEN";
    public static final String INSUFFICIENT_PERMISSIONS = "INSUFFICIENT_PERMISSIONS";
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String CONFLICT = "CONFLICT";
    public static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";

    /** One invalid field of a request. */
    public record FieldError(String field, String message) {}

    public static ErrorResponse invalidToken() {
        return new ErrorResponse("unauthorized", "Missing or invalid bearer token", INVALID_TOKEN, null);
    }

    public static ErrorResponse forbidden(String message) {
        return new ErrorResponse("forbidden", message, INSUFFICIENT_PERMISSIONS, null);
    }

    public static ErrorResponse payloadTooLarge(long limit) {
        return new ErrorResponse(
                "payload_too_large", "Request body exceeds " + limit + " bytes", PAYLOAD_TOO_LARGE, null);
    }
}
