package dev.keyledger.query.web;

import java.util.Locale;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The error JSON for answers Spring MVC never sees. Tomcat refuses some requests before any servlet
 * runs (an encoded backslash or NUL in the path, a malformed escape, an oversized header) and
 * renders them with its host's error report valve, an HTML page; {@link JsonErrorReportValve}
 * renders them as the contract's error JSON instead.
 */
@Component
class ContainerErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }

    /** The error body for a status: 4xx keep their meaning, anything else is an internal error. */
    static ApiError body(int statusCode) {
        HttpStatus status = HttpStatus.resolve(statusCode);
        if (status == null || !status.is4xxClientError()) {
            return new ApiError("internal_error", "The request could not be completed", "INTERNAL_ERROR", null);
        }
        String code = switch (status) {
            case BAD_REQUEST -> "VALIDATION_FAILED";
            case UNAUTHORIZED -> "INVALID_TOKEN";
            case FORBIDDEN -> "INSUFFICIENT_PERMISSIONS";
            case NOT_FOUND -> "NOT_FOUND";
            default -> status.name();
        };
        String error = status == HttpStatus.BAD_REQUEST
                ? "bad_request"
                : status.getReasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '_');
        String message = status == HttpStatus.BAD_REQUEST ? "The request is invalid" : status.getReasonPhrase();
        return new ApiError(error, message, code, null);
    }
}
