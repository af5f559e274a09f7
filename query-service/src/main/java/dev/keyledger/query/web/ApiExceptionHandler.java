package dev.keyledger.query.web;

import dev.keyledger.servicekit.error.ContainerErrors;
import dev.keyledger.servicekit.error.ErrorBody;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Maps every failure of a request to the error JSON; never a stack trace. */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        return respond(e.status(), e.error());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ApiError> denied(AccessDeniedException e) {
        return respond(HttpStatus.FORBIDDEN, ApiError.forbidden("Not allowed for this organization"));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e) {
        return respond(HttpStatus.BAD_REQUEST, ApiError.badRequest(e.getName(), "has the wrong type"));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiError> missing(MissingServletRequestParameterException e) {
        return respond(HttpStatus.BAD_REQUEST, ApiError.badRequest(e.getParameterName(), "is required"));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> noResource(NoResourceFoundException e) {
        return respond(HttpStatus.NOT_FOUND, ApiError.notFound("No such resource"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return respond(
                HttpStatus.METHOD_NOT_ALLOWED,
                new ApiError("method_not_allowed", "The read API accepts GET only", "METHOD_NOT_ALLOWED", null));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return respond(
                HttpStatus.NOT_ACCEPTABLE,
                new ApiError(
                        "not_acceptable", "Accept application/json or application/x-ndjson", "NOT_ACCEPTABLE", null));
    }

    /**
     * The read API's pool had no free connection within its timeout, or a statement hit its
     * timeout (docs/reliability.md, "Slow readers"): a limit, not a bug.
     */
    @ExceptionHandler({CannotGetJdbcConnectionException.class, QueryTimeoutException.class})
    ResponseEntity<ApiError> databaseBusy(DataAccessException e) {
        LOG.warn("Read request refused at a database limit: {}", e.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.unavailable("The read API is busy; try again shortly"));
    }

    /** Tomcat refuses to decode a query parameter (bytes that are not UTF-8): bad input, not a failure. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ApiError> undecodableParameter(InvalidParameterException e) {
        return respond(HttpStatus.BAD_REQUEST, ApiError.badRequest("query", "is not valid UTF-8"));
    }

    /** Every other refusal Spring MVC raises carries its 4xx status: answer it with the error JSON. */
    @ExceptionHandler(ErrorResponseException.class)
    ResponseEntity<ErrorBody> springRefusal(ErrorResponseException e) {
        return respond(
                HttpStatus.valueOf(e.getStatusCode().value()),
                ContainerErrors.body(e.getStatusCode().value()));
    }

    @ExceptionHandler({
        ServletRequestBindingException.class,
        HttpMediaTypeNotSupportedException.class,
        InvalidMediaTypeException.class
    })
    ResponseEntity<ErrorBody> badRequest(Exception e) {
        int status = e instanceof HttpMediaTypeNotSupportedException ? 415 : 400;
        return respond(HttpStatus.valueOf(status), ContainerErrors.body(status));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        LOG.error("Unexpected failure of a read request", e);
        return respond(
                HttpStatus.INTERNAL_SERVER_ERROR,
                new ApiError("internal_error", "The request could not be completed", "INTERNAL_ERROR", null));
    }

    private static ResponseEntity<ApiError> respond(HttpStatus status, ApiError error) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(error);
    }

    /** A refusal known only by its status: the service kit's body, the same as Tomcat's own refusals. */
    private static ResponseEntity<ErrorBody> respond(HttpStatus status, ErrorBody error) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(error);
    }
}
