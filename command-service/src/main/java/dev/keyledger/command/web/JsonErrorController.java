package dev.keyledger.command.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors the servlet container raises outside Spring MVC (a malformed URL, a filter failure) get
 * the same error JSON instead of Boot's default body.
 */
@RestController
class JsonErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ErrorResponse> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        String errorCode = switch (status) {
            case BAD_REQUEST -> ErrorResponse.VALIDATION_FAILED;
            case UNAUTHORIZED -> ErrorResponse.INVALID_TOKEN;
            case FORBIDDEN -> ErrorResponse.INSUFFICIENT_PERMISSIONS;
            case NOT_FOUND -> ErrorResponse.NOT_FOUND;
            case CONFLICT -> ErrorResponse.CONFLICT;
            case CONTENT_TOO_LARGE -> ErrorResponse.PAYLOAD_TOO_LARGE;
            default -> status.name();
        };
        String error =
                status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
        return ResponseEntity.status(status).body(new ErrorResponse(error, status.getReasonPhrase(), errorCode, null));
    }
}
