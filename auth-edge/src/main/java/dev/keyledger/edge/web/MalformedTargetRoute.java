package dev.keyledger.edge.web;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * Answers a request-target that {@code java.net.URI} cannot parse ({@code %zz}, a raw {@code \},
 * {@code |}, non-ASCII...) with the contract's 400 JSON. Without it Spring's adapter answers such a
 * target with an empty 400 before {@link EdgeHttpHandler} runs. A Reactor Netty route ahead of
 * Boot's catch-all one: one scan of the raw target per request, no allocation; every target it
 * lets through parses, and {@link PathCanonicalizer} then decides on the path.
 */
public final class MalformedTargetRoute implements NettyRouteProvider {

    /** Characters java.net.URI accepts raw in a path or query (RFC 2396/3986 pchar, '/', '?'). */
    private static final boolean[] PARSEABLE = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            PARSEABLE[c] = true;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            PARSEABLE[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            PARSEABLE[c] = true;
        }
        for (char c : "-._~!$&'()*+,;=:@/?".toCharArray()) {
            PARSEABLE[c] = true;
        }
    }

    @Override
    public HttpServerRoutes apply(HttpServerRoutes routes) {
        return routes.route(MalformedTargetRoute::malformed, MalformedTargetRoute::answer);
    }

    private static boolean malformed(HttpServerRequest request) {
        return !parseable(request.uri());
    }

    /**
     * Whether java.net.URI parses the request-target (origin form or absolute form). A {@code %}
     * must start a two-hex-digit escape; '#', '[', ']', controls, space and non-ASCII are refused.
     */
    static boolean parseable(String target) {
        int length = target.length();
        for (int i = 0; i < length; i++) {
            char c = target.charAt(i);
            if (c == '%') {
                if (i + 2 >= length || !isHex(target.charAt(i + 1)) || !isHex(target.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c >= 128 || !PARSEABLE[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static Mono<Void> answer(HttpServerRequest request, HttpServerResponse response) {
        return response.status(HttpResponseStatus.BAD_REQUEST)
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(Responses.BAD_REQUEST.length))
                .sendByteArray(Mono.just(Responses.BAD_REQUEST))
                .then();
    }
}
