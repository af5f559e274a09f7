package dev.keyledger.edge.management;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Renders every failure on the management port as the contract's error JSON: 404 {@code NOT_FOUND},
 * 405 {@code METHOD_NOT_ALLOWED} (with its {@code Allow} header), other 4xx by status name, the
 * same codes as the command-service and query-service. Anything that is not a client error is a
 * generic 500 without the exception's text. Ordered ahead of Boot's default handler (order -1),
 * which would answer {@code {timestamp, path, status, error, requestId}}.
 */
@Order(-2)
final class ManagementErrorHandler implements WebExceptionHandler {

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(failure);
        }
        HttpStatusCode status = HttpStatus.INTERNAL_SERVER_ERROR;
        if (failure instanceof ErrorResponse error && error.getStatusCode().is4xxClientError()) {
            status = error.getStatusCode();
            response.getHeaders().addAll(error.getHeaders());
        }
        byte[] body = body(status.value()).getBytes(StandardCharsets.UTF_8);
        response.setStatusCode(status);
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    static String body(int statusCode) {
        HttpStatus status = HttpStatus.resolve(statusCode);
        if (status == null || !status.is4xxClientError()) {
            return json("internal_error", "The request could not be completed", "INTERNAL_ERROR");
        }
        return switch (status) {
            case BAD_REQUEST -> json("bad_request", "The request is invalid", "BAD_REQUEST");
            case NOT_FOUND -> json("not_found", "Not found", "NOT_FOUND");
            case METHOD_NOT_ALLOWED -> json("method_not_allowed", "Method not allowed", "METHOD_NOT_ALLOWED");
            default ->
                json(
                        status.getReasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '_'),
                        status.getReasonPhrase(),
                        status.name());
        };
    }

    // Reason phrases and status names are ASCII letters, spaces and underscores: nothing to escape.
    private static String json(String error, String message, String code) {
        return "{\"error\":\"" + error + "\",\"message\":\"" + message + "\",\"code\":\"" + code + "\"}";
    }
}
