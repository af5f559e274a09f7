package dev.keyledger.edge.web;

import dev.keyledger.edge.decision.Verdict;
import io.netty.channel.ChannelOption;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Sends a verified request to the upstream and streams the answer back: bodies flow through as
 * buffers in both directions, never collected. {@code X-API-Key} and any client-sent
 * {@code X-Keyledger-*} headers are removed (a client must not forge its identity); the edge's own
 * identity headers are added. Upstream answers, errors included, pass through with their status.
 * An unreachable upstream is a 502, a silent one a 504.
 */
public final class UpstreamForwarder {

    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length");

    private final WebClient client;
    private final String upstream;

    /**
     * @param loops the event loops of the edge's server: upstream connections are made on the loop
     *     of the request that needs them (colocation), so a proxied exchange stays on one thread
     */
    public UpstreamForwarder(ProxyProperties properties, LoopResources loops) {
        HttpClient http = HttpClient.create(ConnectionProvider.builder("keyledger-upstream")
                        .maxConnections(1000)
                        .pendingAcquireMaxCount(10_000)
                        .build())
                .runOn(loops)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        properties.connectTimeout().toMillis())
                .responseTimeout(properties.responseTimeout());
        this.client = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
        String base = properties.upstream().toString();
        this.upstream = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    Mono<Void> forward(
            ServerHttpRequest request,
            ServerHttpResponse response,
            Verdict verdict,
            String origin,
            IntConsumer onStatus) {
        String rawQuery = request.getURI().getRawQuery();
        String target = upstream + request.getURI().getRawPath() + (rawQuery == null ? "" : "?" + rawQuery);
        HttpHeaders incoming = request.getHeaders();
        boolean hasBody = incoming.getContentLength() > 0 || incoming.containsHeader(HttpHeaders.TRANSFER_ENCODING);
        WebClient.RequestBodySpec spec = client.method(request.getMethod())
                .uri(UriComponentsBuilder.fromUriString(target).build(true).toUri())
                .headers(out -> {
                    incoming.forEach((name, values) -> {
                        if (forwardable(name)) {
                            out.put(name, values);
                        }
                    });
                    if (incoming.getContentLength() >= 0) {
                        out.setContentLength(incoming.getContentLength());
                    }
                    Responses.identityHeaders(out, verdict);
                });
        WebClient.RequestHeadersSpec<?> ready =
                hasBody ? spec.body(BodyInserters.fromDataBuffers(request.getBody())) : spec;
        return ready.exchangeToMono(upstreamResponse -> {
                    onStatus.accept(upstreamResponse.statusCode().value());
                    response.setStatusCode(upstreamResponse.statusCode());
                    HttpHeaders out = response.getHeaders();
                    upstreamResponse.headers().asHttpHeaders().forEach((name, values) -> {
                        String lower = name.toLowerCase(Locale.ROOT);
                        if (!HOP_BY_HOP.contains(lower) || lower.equals("content-length")) {
                            out.put(name, values);
                        }
                    });
                    out.set(HttpHeaders.VARY, HttpHeaders.ORIGIN);
                    Responses.rateLimitHeaders(out, verdict.limit());
                    Responses.cors(out, verdict.entry(), origin);
                    return response.writeWith(upstreamResponse.bodyToFlux(DataBuffer.class));
                })
                .onErrorResume(error -> {
                    if (response.isCommitted()) {
                        return Mono.error(error);
                    }
                    boolean timeout = isTimeout(error);
                    onStatus.accept(timeout ? 504 : 502);
                    return timeout ? Responses.gatewayTimeout(response) : Responses.badGateway(response);
                });
    }

    private static boolean forwardable(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !HOP_BY_HOP.contains(lower) && !lower.equals("x-api-key") && !lower.startsWith("x-keyledger-");
    }

    private static boolean isTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof io.netty.handler.timeout.ReadTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
