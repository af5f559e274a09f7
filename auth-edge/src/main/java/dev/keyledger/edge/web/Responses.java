package dev.keyledger.edge.web;

import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.edge.decision.Verdict;
import dev.keyledger.edge.keys.KeyEntry;
import dev.keyledger.edge.ratelimit.RateLimitDecision;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * The edge's answers, exactly as CONTRACT.md spells them. Constant bodies are encoded once. Only
 * the 429 body varies (its retry delay).
 */
final class Responses {

    static final String RATE_LIMIT_LIMIT = "X-RateLimit-Limit";
    static final String RATE_LIMIT_REMAINING = "X-RateLimit-Remaining";
    static final String RATE_LIMIT_RESET = "X-RateLimit-Reset";
    static final String EXPOSED =
            RATE_LIMIT_LIMIT + ", " + RATE_LIMIT_REMAINING + ", " + RATE_LIMIT_RESET + ", Retry-After";
    static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    static final String DEFAULT_ALLOWED_HEADERS = "X-API-Key, Content-Type, X-Database-Id";

    private static final byte[] UNAUTHORIZED = bytes(
            "{\"error\":\"unauthorized\",\"message\":\"Invalid or missing API key\",\"code\":\"INVALID_API_KEY\"}");
    private static final byte[] FORBIDDEN = bytes(
            "{\"error\":\"forbidden\",\"message\":\"API key does not have access to this resource\",\"code\":\"INSUFFICIENT_PERMISSIONS\"}");
    private static final byte[] UNAVAILABLE = bytes(
            "{\"error\":\"service_unavailable\",\"message\":\"Key verification is temporarily unavailable\",\"code\":\"SERVICE_UNAVAILABLE\"}");
    static final byte[] BAD_REQUEST =
            bytes("{\"error\":\"bad_request\",\"message\":\"Malformed request path\",\"code\":\"BAD_REQUEST\"}");
    private static final byte[] NOT_FOUND =
            bytes("{\"error\":\"not_found\",\"message\":\"Not found\",\"code\":\"NOT_FOUND\"}");
    private static final byte[] BAD_GATEWAY = bytes(
            "{\"error\":\"bad_gateway\",\"message\":\"The upstream service could not be reached\",\"code\":\"UPSTREAM_UNAVAILABLE\"}");
    private static final byte[] GATEWAY_TIMEOUT = bytes(
            "{\"error\":\"gateway_timeout\",\"message\":\"The upstream service did not answer in time\",\"code\":\"UPSTREAM_TIMEOUT\"}");

    private Responses() {}

    static Mono<Void> unauthorized(ServerHttpResponse response) {
        return json(response, HttpStatus.UNAUTHORIZED, UNAUTHORIZED);
    }

    static Mono<Void> forbidden(ServerHttpResponse response) {
        return json(response, HttpStatus.FORBIDDEN, FORBIDDEN);
    }

    static Mono<Void> unavailable(ServerHttpResponse response) {
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
        return json(response, HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE);
    }

    /** A path that cannot be made canonical (CONTRACT.md "Request hygiene"); decided before any key lookup. */
    static Mono<Void> badRequest(ServerHttpResponse response) {
        return json(response, HttpStatus.BAD_REQUEST, BAD_REQUEST);
    }

    static Mono<Void> notFound(ServerHttpResponse response) {
        return json(response, HttpStatus.NOT_FOUND, NOT_FOUND);
    }

    static Mono<Void> badGateway(ServerHttpResponse response) {
        return json(response, HttpStatus.BAD_GATEWAY, BAD_GATEWAY);
    }

    static Mono<Void> gatewayTimeout(ServerHttpResponse response) {
        return json(response, HttpStatus.GATEWAY_TIMEOUT, GATEWAY_TIMEOUT);
    }

    static Mono<Void> rateLimited(ServerHttpResponse response, long retryAfter) {
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        return json(
                response,
                HttpStatus.TOO_MANY_REQUESTS,
                bytes("{\"error\":\"rate_limit_exceeded\",\"message\":\"Rate limit exceeded. Try again in " + retryAfter
                        + " seconds.\",\"code\":\"RATE_LIMIT_EXCEEDED\",\"retry_after\":" + retryAfter + "}"));
    }

    /** The error answer for a verdict that refuses the request. */
    static Mono<Void> refusal(ServerHttpResponse response, Verdict verdict, String origin) {
        return switch (verdict.outcome()) {
            case FORBIDDEN_SCOPE, FORBIDDEN_ORIGIN -> {
                rateLimitHeaders(response.getHeaders(), verdict.limit());
                yield forbidden(response);
            }
            case RATE_LIMITED -> {
                rateLimitHeaders(response.getHeaders(), verdict.limit());
                cors(response.getHeaders(), verdict.entry(), origin);
                yield rateLimited(response, verdict.limit().retryAfterSeconds());
            }
            case LIMITER_UNAVAILABLE -> {
                rateLimitHeaders(response.getHeaders(), verdict.limit());
                yield unavailable(response);
            }
            case UNAVAILABLE -> unavailable(response);
            default -> unauthorized(response);
        };
    }

    /** Headers of an accepted request: identity for the upstream and rate-limit numbers. */
    static void identityHeaders(HttpHeaders headers, Verdict verdict) {
        KeyEntry entry = verdict.entry();
        headers.set(EdgeHttpHandler.KEY_ID, verdict.keyId());
        headers.set(EdgeHttpHandler.KEY_TYPE, entry.type().wireName());
        headers.set(EdgeHttpHandler.ORGANIZATION_ID, entry.organizationId());
        if (verdict.databaseId() != null) {
            headers.set(EdgeHttpHandler.DATABASE_ID, verdict.databaseId());
        }
    }

    static void rateLimitHeaders(HttpHeaders headers, RateLimitDecision limit) {
        if (limit == null) {
            return;
        }
        headers.set(RATE_LIMIT_LIMIT, Long.toString(limit.limit()));
        headers.set(RATE_LIMIT_REMAINING, Long.toString(limit.remaining()));
        headers.set(RATE_LIMIT_RESET, Long.toString(limit.resetEpochSeconds()));
    }

    /** CORS headers for a public key whose origin passed; secret keys never get them. */
    static void cors(HttpHeaders headers, KeyEntry entry, String origin) {
        if (entry != null
                && entry.type() == ApiKeyType.PUBLIC
                && origin != null
                && entry.allowedOrigins().allows(origin)) {
            headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.set(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
        }
    }

    static Mono<Void> json(ServerHttpResponse response, HttpStatus status, byte[] body) {
        response.setStatusCode(status);
        HttpHeaders headers = response.getHeaders();
        headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
        headers.setContentLength(body.length);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
