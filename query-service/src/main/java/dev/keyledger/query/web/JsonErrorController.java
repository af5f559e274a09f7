package dev.keyledger.query.web;

import dev.keyledger.servicekit.error.ContainerErrors;
import dev.keyledger.servicekit.error.ErrorBody;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside Spring MVC but inside the servlet container (a request the security
 * firewall rejects, a {@code sendError} from a filter) get the error JSON instead of Boot's
 * default {@code {timestamp, status, path}} body.
 */
@RestController
class JsonErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ErrorBody> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : HttpStatus.INTERNAL_SERVER_ERROR.value();
        return ResponseEntity.status(HttpStatus.resolve(status) == null ? 500 : status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(ContainerErrors.body(status));
    }
}
