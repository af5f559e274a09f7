package dev.keyledger.query.web;

import org.springframework.http.HttpStatus;

/** An expected outcome other than success, answered with {@link ApiError} and its status. */
public final class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final transient ApiError error;

    private ApiException(HttpStatus status, ApiError error) {
        super(error.message(), null, false, false);
        this.status = status;
        this.error = error;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, ApiError.badRequest(field, message));
    }

    public static ApiException forbidden(String message) {
        return new ApiException(HttpStatus.FORBIDDEN, ApiError.forbidden(message));
    }

    public static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, ApiError.notFound(message));
    }

    /** 503: the read API is at a limit (open streams, free connections); the client retries later. */
    public static ApiException unavailable(String message) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ApiError.unavailable(message));
    }

    public HttpStatus status() {
        return status;
    }

    public ApiError error() {
        return error;
    }
}
