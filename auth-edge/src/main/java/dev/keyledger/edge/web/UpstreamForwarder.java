package dev.keyledger.edge.web;

import dev.keyledger.edge.decision.Verdict;
import io.netty.channel.ChannelOption;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.support.Netty4HeadersAdapter;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Sends a verified request to the upstream and streams the answer back: bodies flow through as
 * buffers in both directions, never collected. The upstream gets the canonical path the edge
 * decided on (and the raw query), never the client's spelling. Header hygiene (CONTRACT.md "Request
 * hygiene"): {@code X-API-Key} and any client-sent {@code X-Keyledger-*} (a client must not forge
 * its identity), hop-by-hop headers and the headers named in {@code Connection} are removed;
 * {@code X-Forwarded-For} gets the peer appended; {@code Forwarded}, {@code X-Forwarded-*} and
 * {@code X-Real-IP} pass only from a configured trusted proxy (otherwise the edge states
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} itself); {@code X-Original-URL} and
 * {@code X-Rewrite-URL}, which some servers route by instead of the path, never pass. The edge's
 * own identity headers are added last. Upstream answers, errors included, pass through with their
 * status, minus hop-by-hop and {@code Access-Control-*} headers (the edge sets CORS itself). An
 * unreachable upstream is a 502, a silent one a 504.
 */
public final class UpstreamForwarder {

    /** Hop-by-hop (RFC 9110 7.6.1) and framing headers, which the edge sets per connection. */
    private static final String[] HOP_BY_HOP = {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "http2-settings",
        "host",
        "content-length"
    };

    /** Headers by which some upstream servers pick a path other than the request line's. */
    private static final String[] PATH_OVERRIDES = {"x-original-url", "x-rewrite-url"};

    private static final String X_FORWARDED_FOR = "X-Forwarded-For";
    private static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    private static final String X_FORWARDED_HOST = "X-Forwarded-Host";

    private final HttpClient http;
    private final String upstream;
    private final TrustedProxies trustedProxies;

    /**
     * @param loops the event loops of the edge's server: upstream connections are made on the loop
     *     of the request that needs them (colocation), so a proxied exchange stays on one thread
     */
    public UpstreamForwarder(ProxyProperties properties, LoopResources loops) {
        // Reactor Netty's client itself, not WebClient over it: WebClient's request and response
        // objects, codecs and operator chain cost more per request than the proxying does
        // (docs/profiles.md, "Proxy mode"), and a proxy needs none of them.
        this.http = HttpClient.create(ConnectionProvider.builder("keyledger-upstream")
                        .maxConnections(1000)
                        .pendingAcquireMaxCount(10_000)
                        .build())
                .runOn(loops)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        properties.connectTimeout().toMillis())
                .responseTimeout(properties.responseTimeout());
        String base = properties.upstream().toString();
        this.upstream = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.trustedProxies = new TrustedProxies(properties.trustedProxies());
    }

    /**
     * @param canonicalPath the path the decision was made on ({@link PathCanonicalizer}); forwarded
     *     as exactly these bytes
     */
    Mono<Void> forward(
            ServerHttpRequest request,
            ServerHttpResponse response,
            String canonicalPath,
            Verdict verdict,
            String origin,
            IntConsumer onStatus) {
        String rawQuery = request.getURI().getRawQuery();
        // Reactor Netty sends this string's path and query as they are, neither decoded nor
        // normalised (TenantBoundaryIntegrationTest and HeaderHygieneIntegrationTest check the
        // request-target the upstream received).
        String target = upstream + canonicalPath + (rawQuery == null ? "" : "?" + rawQuery);
        HttpHeaders incoming = request.getHeaders();
        boolean hasBody = incoming.getContentLength() > 0 || incoming.containsHeader(HttpHeaders.TRANSFER_ENCODING);
        return http.request(io.netty.handler.codec.http.HttpMethod.valueOf(
                        request.getMethod().name()))
                .uri(target)
                .send((upstreamRequest, outbound) -> {
                    forwardedHeaders(
                            request,
                            incoming,
                            new HttpHeaders(new Netty4HeadersAdapter(upstreamRequest.requestHeaders())),
                            verdict);
                    // The server's buffers are Netty's: handed on as they are, released once sent.
                    return hasBody ? outbound.send(request.getBody().map(NettyDataBufferFactory::toByteBuf)) : outbound;
                })
                .response((upstreamResponse, body) -> {
                    int status = upstreamResponse.status().code();
                    onStatus.accept(status);
                    response.setStatusCode(HttpStatusCode.valueOf(status));
                    HttpHeaders out = response.getHeaders();
                    HttpHeaders answered =
                            new HttpHeaders(new Netty4HeadersAdapter(upstreamResponse.responseHeaders()));
                    List<String> named = connectionNamed(answered);
                    answered.forEach((name, values) -> {
                        boolean contentLength = name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH);
                        if ((contentLength || !isAny(name, HOP_BY_HOP))
                                && !startsWithIgnoreCase(name, "access-control-")
                                && !containsIgnoreCase(named, name)) {
                            out.put(name, values);
                        }
                    });
                    out.set(HttpHeaders.VARY, HttpHeaders.ORIGIN);
                    Responses.rateLimitHeaders(out, verdict.limit());
                    Responses.cors(out, verdict.entry(), origin);
                    return response.writeWith(body.retain().map(bufferFactory(response)::wrap));
                })
                .then()
                .onErrorResume(error -> {
                    if (response.isCommitted()) {
                        return Mono.error(error);
                    }
                    boolean timeout = isTimeout(error);
                    onStatus.accept(timeout ? 504 : 502);
                    return timeout ? Responses.gatewayTimeout(response) : Responses.badGateway(response);
                });
    }

    /** The server's own factory (the edge runs on Reactor Netty), so upstream buffers pass uncopied. */
    private static NettyDataBufferFactory bufferFactory(ServerHttpResponse response) {
        return response.bufferFactory() instanceof NettyDataBufferFactory netty
                ? netty
                : new NettyDataBufferFactory(io.netty.buffer.ByteBufAllocator.DEFAULT);
    }

    private void forwardedHeaders(ServerHttpRequest request, HttpHeaders incoming, HttpHeaders out, Verdict verdict) {
        List<String> named = connectionNamed(incoming);
        boolean trusted = trustedProxies.trusts(request.getRemoteAddress());
        StringBuilder forwardedFor = null;
        for (Map.Entry<String, List<String>> header : incoming.headerSet()) {
            String name = header.getKey();
            if (isAny(name, HOP_BY_HOP)
                    || isAny(name, PATH_OVERRIDES)
                    || name.equalsIgnoreCase(EdgeHttpHandler.API_KEY)
                    || startsWithIgnoreCase(name, "x-keyledger-")
                    || containsIgnoreCase(named, name)) {
                continue;
            }
            if (name.equalsIgnoreCase(X_FORWARDED_FOR)) {
                for (String value : header.getValue()) {
                    forwardedFor =
                            (forwardedFor == null ? new StringBuilder() : forwardedFor.append(", ")).append(value);
                }
                continue;
            }
            if (!trusted && isForwardingHeader(name)) {
                continue;
            }
            out.put(name, header.getValue());
        }
        String peer = peerAddress(request.getRemoteAddress());
        if (peer != null) {
            forwardedFor = (forwardedFor == null ? new StringBuilder() : forwardedFor.append(", ")).append(peer);
        }
        if (forwardedFor != null) {
            out.set(X_FORWARDED_FOR, forwardedFor.toString());
        }
        if (!trusted) {
            out.set(X_FORWARDED_PROTO, request.getURI().getScheme());
            String host = incoming.getFirst(HttpHeaders.HOST);
            if (host != null) {
                out.set(X_FORWARDED_HOST, host);
            }
        }
        if (incoming.getContentLength() >= 0) {
            out.setContentLength(incoming.getContentLength());
        }
        Responses.identityHeaders(out, verdict);
    }

    /** {@code Forwarded}, {@code X-Forwarded-*} (other than -For, which is appended to) and {@code X-Real-IP}. */
    private static boolean isForwardingHeader(String name) {
        return name.equalsIgnoreCase("forwarded")
                || startsWithIgnoreCase(name, "x-forwarded-")
                || name.equalsIgnoreCase("x-real-ip");
    }

    /** The header names listed in {@code Connection} (RFC 9110 7.6.1), usually none. */
    private static List<String> connectionNamed(HttpHeaders headers) {
        List<String> values = headers.get(HttpHeaders.CONNECTION);
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>(2);
        for (String value : values) {
            for (String token : value.split(",")) {
                String name = token.strip();
                if (!name.isEmpty() && !name.equalsIgnoreCase("close") && !name.equalsIgnoreCase("keep-alive")) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static String peerAddress(InetSocketAddress peer) {
        if (peer == null) {
            return null;
        }
        InetAddress address = peer.getAddress();
        if (address == null) {
            return peer.getHostString();
        }
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return scope < 0 ? text : text.substring(0, scope);
    }

    private static boolean isAny(String name, String[] lowerCaseNames) {
        for (String candidate : lowerCaseNames) {
            if (candidate.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsIgnoreCase(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithIgnoreCase(String name, String lowerCasePrefix) {
        return name.regionMatches(true, 0, lowerCasePrefix, 0, lowerCasePrefix.length());
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
