package dev.keyledger.command.web;

import dev.keyledger.command.domain.DomainRuleViolation;
import dev.keyledger.command.domain.UnknownAggregate;
import java.util.List;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every exception a request can raise into the error JSON. Messages are fixed texts or the
 * domain's own messages; the input is never echoed back, and nothing a client sends becomes a 500.
 */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final WebProperties properties;

    ApiExceptionHandler(WebProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(DomainRuleViolation.class)
    ResponseEntity<ErrorResponse> ruleViolation(DomainRuleViolation e) {
        return validationFailed(
                "Request validation failed",
                e.violations().stream()
                        .map(v -> new ErrorResponse.FieldError(v.field(), v.message()))
                        .toList());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ErrorResponse> illegalArgument(IllegalArgumentException e) {
        return validationFailed(e.getMessage(), null);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorResponse> unreadable(HttpMessageNotReadableException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodySizeLimitFilter.BodyTooLargeException) {
                return error(HttpStatus.CONTENT_TOO_LARGE, ErrorResponse.payloadTooLarge(properties.maxBodyBytes()));
            }
        }
        return switch (e.getCause()) {
            case UnrecognizedPropertyException unknown ->
                validationFailed("Unknown field", List.of(fieldError(unknown, "unknown field")));
            case MismatchedInputException mismatch ->
                validationFailed("Invalid value", List.of(fieldError(mismatch, "invalid value or type")));
            case InputCoercionException outOfRange ->
                validationFailed("Invalid value", List.of(fieldError(outOfRange, "number out of range")));
            // A read error inside a member (a number beyond its type) names the member; only an
            // error outside any member is malformed JSON as a whole.
            case StreamReadException malformed
            when malformed.getPath().isEmpty() -> validationFailed("Malformed JSON", null);
            case JacksonException other -> validationFailed("Invalid value", List.of(fieldError(other, "invalid")));
            case null, default -> validationFailed("Request body is missing or unreadable", null);
        };
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ErrorResponse> typeMismatch(MethodArgumentTypeMismatchException e) {
        return validationFailed("Invalid parameter", List.of(new ErrorResponse.FieldError(e.getName(), "invalid")));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ErrorResponse> missingHeader(MissingRequestHeaderException e) {
        return validationFailed("Missing header " + e.getHeaderName(), null);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ErrorResponse> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
        return error(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                new ErrorResponse(
                        "unsupported_media_type",
                        "Content-Type must be application/json",
                        "UNSUPPORTED_MEDIA_TYPE",
                        null));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ErrorResponse> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return error(
                HttpStatus.NOT_ACCEPTABLE,
                new ErrorResponse("not_acceptable", "Responses are application/json", "NOT_ACCEPTABLE", null));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ErrorResponse> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        return error(
                HttpStatus.METHOD_NOT_ALLOWED,
                new ErrorResponse("method_not_allowed", "Method not allowed", "METHOD_NOT_ALLOWED", null));
    }

    @ExceptionHandler({
        UnknownAggregate.class,
        AggregateNotFoundException.class,
        NoResourceFoundException.class,
        NoHandlerFoundException.class
    })
    ResponseEntity<ErrorResponse> notFound(Exception e) {
        return error(
                HttpStatus.NOT_FOUND,
                new ErrorResponse("not_found", "Resource not found", ErrorResponse.NOT_FOUND, null));
    }

    @ExceptionHandler(ForbiddenException.class)
    ResponseEntity<ErrorResponse> forbidden(ForbiddenException e) {
        return error(HttpStatus.FORBIDDEN, ErrorResponse.forbidden(e.getMessage()));
    }

    @ExceptionHandler({IllegalStateException.class, ConcurrencyException.class})
    ResponseEntity<ErrorResponse> conflict(RuntimeException e) {
        String message = e instanceof IllegalStateException ? e.getMessage() : "Concurrent modification";
        return error(HttpStatus.CONFLICT, new ErrorResponse("conflict", message, ErrorResponse.CONFLICT, null));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorResponse> unexpected(Exception e) {
        log.error("Unexpected error handling a request: {}", e.getClass().getName(), e);
        return error(
                HttpStatus.INTERNAL_SERVER_ERROR,
                new ErrorResponse("internal_error", "Internal error", "INTERNAL_ERROR", null));
    }

    private static ErrorResponse.FieldError fieldError(JacksonException e, String message) {
        StringBuilder field = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return new ErrorResponse.FieldError(field.isEmpty() ? "body" : field.toString(), message);
    }

    private static ResponseEntity<ErrorResponse> validationFailed(
            String message, List<ErrorResponse.FieldError> details) {
        return error(
                HttpStatus.BAD_REQUEST,
                new ErrorResponse("bad_request", message, ErrorResponse.VALIDATION_FAILED, details));
    }

    private static ResponseEntity<ErrorResponse> error(HttpStatus status, ErrorResponse body) {
        return ResponseEntity.status(status).body(body);
    }
}
