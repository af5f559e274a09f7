package dev.keyledger.query.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The error body of every service: {@code {error, message, code, details?}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, String code, List<FieldError> details) {

    /** One rejected input. */
    public record FieldError(String field, String message) {}

    public static ApiError badRequest(String field, String message) {
        return new ApiError(
                "bad_request", "The request is invalid", "VALIDATION_FAILED", List.of(new FieldError(field, message)));
    }

    public static ApiError unauthorized() {
        return new ApiError("unauthorized", "Missing or invalid bearer token", "INVALID_TOKEN", null);
    }

    public static ApiError forbidden(String message) {
        return new ApiError("forbidden", message, "INSUFFICIENT_PERMISSIONS", null);
    }

    public static ApiError notFound(String message) {
        return new ApiError("not_found", message, "NOT_FOUND", null);
    }

    public static ApiError unavailable(String message) {
        return new ApiError("service_unavailable", message, "SERVICE_UNAVAILABLE", null);
    }
}
