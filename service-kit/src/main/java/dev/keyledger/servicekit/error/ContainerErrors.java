package dev.keyledger.servicekit.error;

import java.util.Locale;
import org.springframework.http.HttpStatus;

/**
 * The error body for a bare status, where nothing more specific is known: the container refused
 * the request before any servlet ran ({@link JsonErrorReportValve}), or a service's error
 * controller or exception handler has only the status of a refusal. Fixed texts only, never
 * anything from the request.
 */
public final class ContainerErrors {

    private ContainerErrors() {}

    /** The error body for a status: 4xx keep their meaning, anything else is an internal error. */
    public static ErrorBody body(int statusCode) {
        HttpStatus status = HttpStatus.resolve(statusCode);
        if (status == null || !status.is4xxClientError()) {
            return new ErrorBody("internal_error", "The request could not be completed", "INTERNAL_ERROR", null);
        }
        String code = switch (status) {
            case BAD_REQUEST -> "VALIDATION_FAILED";
            case UNAUTHORIZED -> ErrorBody.INVALID_TOKEN;
            case FORBIDDEN -> ErrorBody.INSUFFICIENT_PERMISSIONS;
            case NOT_FOUND -> "NOT_FOUND";
            case CONTENT_TOO_LARGE -> "PAYLOAD_TOO_LARGE";
            default -> status.name();
        };
        String error = status == HttpStatus.BAD_REQUEST
                ? "bad_request"
                : status.getReasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '_');
        String message = status == HttpStatus.BAD_REQUEST ? "The request is invalid" : status.getReasonPhrase();
        return new ErrorBody(error, message, code, null);
    }
}
