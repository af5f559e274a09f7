package dev.keyledger.edge.web;

import dev.keyledger.contracts.usage.UsageOutcome;
import dev.keyledger.edge.decision.Gatekeeper;
import dev.keyledger.edge.decision.Outcome;
import dev.keyledger.edge.decision.Verdict;
import dev.keyledger.edge.keys.ActiveKeyTable;
import dev.keyledger.edge.keys.ChangelogState;
import dev.keyledger.edge.usage.UsageRecorder;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * The edge's whole data plane as one {@link HttpHandler} on Reactor Netty: no dispatcher, filter
 * chain or codecs between the socket and the decision (docs/decisions/0005). Forward-auth at
 * {@code /_keyledger/auth} (and below it, for Envoy), proxy mode for the configured prefixes, 404
 * for anything else. Answers every input with a status from the contract; a bug becomes a 503
 * rather than a stack trace.
 */
public final class EdgeHttpHandler implements HttpHandler {

    static final String API_KEY = "X-API-Key";
    static final String DATABASE_HEADER = "X-Database-Id";
    static final String KEY_ID = "X-Keyledger-Key-Id";
    static final String KEY_TYPE = "X-Keyledger-Key-Type";
    static final String ORGANIZATION_ID = "X-Keyledger-Organization-Id";
    static final String DATABASE_ID = "X-Keyledger-Database-Id";
    static final String FORWARDED_METHOD = "X-Forwarded-Method";
    static final String FORWARDED_URI = "X-Forwarded-Uri";
    static final int MAX_ALLOW_HEADERS_LENGTH = 1024;

    private final Gatekeeper gatekeeper;
    private final ActiveKeyTable table;
    private final ChangelogState state;
    private final UsageRecorder usage;
    private final UpstreamForwarder forwarder;
    private final Clock clock;
    private final String forwardAuthPath;
    private final List<String> prefixes;
    private final PathCanonicalizer canonicalizer;

    public EdgeHttpHandler(
            Gatekeeper gatekeeper,
            ActiveKeyTable table,
            ChangelogState state,
            UsageRecorder usage,
            UpstreamForwarder forwarder,
            Clock clock,
            ProxyProperties properties) {
        this.gatekeeper = gatekeeper;
        this.table = table;
        this.state = state;
        this.usage = usage;
        this.forwarder = forwarder;
        this.clock = clock;
        this.forwardAuthPath = properties.forwardAuthPath();
        this.prefixes = properties.prefixes();
        this.canonicalizer = new PathCanonicalizer(properties.prefixes());
    }

    @Override
    public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
        long start = System.nanoTime();
        response.getHeaders().set(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        // The raw path as received: Spring builds the URI from Netty's request-target without
        // decoding or normalising it (a target java.net.URI cannot parse never gets here:
        // MalformedTargetRoute answers it). Everything below decides on, and forwards, the
        // canonical form.
        String raw = request.getURI().getRawPath();
        String path = canonicalizer.canonicalize(raw);
        Mono<Void> answer;
        if (path == null) {
            answer = Responses.badRequest(response);
        } else if (path.equals(forwardAuthPath) || path.startsWith(forwardAuthPath + "/")) {
            // A gateway forwards its own bytes: they must already be canonical.
            answer = path.equals(raw) ? forwardAuth(request, response, path, start) : Responses.badRequest(response);
        } else if (underPrefix(path)) {
            answer = proxy(request, response, path, start);
        } else {
            answer = Responses.notFound(response);
        }
        return answer.onErrorResume(
                error -> response.isCommitted() ? Mono.error(error) : Responses.unavailable(response));
    }

    private Mono<Void> forwardAuth(ServerHttpRequest request, ServerHttpResponse response, String path, long start) {
        HttpHeaders headers = request.getHeaders();
        String method = headers.getFirst(FORWARDED_METHOD);
        String uri = headers.getFirst(FORWARDED_URI);
        if (path.length() > forwardAuthPath.length()) {
            uri = uri != null ? uri : path.substring(forwardAuthPath.length()) + query(request);
            method = method != null ? method : request.getMethod().name();
        }
        String originalMethod = method != null ? method : HttpMethod.GET.name();
        String originalUri = uri != null ? uri : "/";
        int queryAt = originalUri.indexOf('?');
        String originalPath = queryAt < 0 ? originalUri : originalUri.substring(0, queryAt);
        if (!canonicalizer.isCanonical(originalPath)) {
            return Responses.badRequest(response);
        }
        String origin = single(headers, HttpHeaders.ORIGIN);
        String apiKey = single(headers, API_KEY);
        if (isPreflight(originalMethod, headers, apiKey, origin)) {
            return preflight(request, response, origin, HttpStatus.OK);
        }
        return then(
                gatekeeper.decide(apiKey, origin, single(headers, DATABASE_HEADER), originalPath, start), verdict -> {
                    // Counted before the answer leaves (docs/decisions/0008): no room in the
                    // usage spool means no answer but 503.
                    if (!recordUsage(verdict)) {
                        return Responses.unavailable(response);
                    }
                    if (verdict.outcome() != Outcome.ACCEPTED) {
                        return Responses.refusal(response, verdict, origin);
                    }
                    HttpHeaders out = response.getHeaders();
                    Responses.identityHeaders(out, verdict);
                    Responses.rateLimitHeaders(out, verdict.limit());
                    Responses.cors(out, verdict.entry(), origin);
                    response.setStatusCode(HttpStatus.OK);
                    out.setContentLength(0);
                    return response.setComplete();
                });
    }

    /**
     * The answer for a decision. With the in-memory limiter the decision is complete on return, and
     * the answer is built at once instead of through a {@code Mono} around the future (about 7 % of
     * the edge's allocation per request, docs/profiles.md); a decision still waiting (Redis) goes
     * through {@link Mono#fromCompletionStage}. Either way a failure is an error signal, never a
     * throw, so {@link #handle}'s fallback answers it.
     */
    private static Mono<Void> then(CompletionStage<Verdict> decision, Function<Verdict, Mono<Void>> answer) {
        CompletableFuture<Verdict> future = decision.toCompletableFuture();
        if (future.isDone() && !future.isCompletedExceptionally() && !future.isCancelled()) {
            try {
                return answer.apply(future.join());
            } catch (RuntimeException e) {
                return Mono.error(e);
            }
        }
        return Mono.fromCompletionStage(future).flatMap(answer);
    }

    private Mono<Void> proxy(ServerHttpRequest request, ServerHttpResponse response, String path, long start) {
        HttpHeaders headers = request.getHeaders();
        String origin = single(headers, HttpHeaders.ORIGIN);
        String apiKey = single(headers, API_KEY);
        String method = request.getMethod().name();
        if (isPreflight(method, headers, apiKey, origin)) {
            return preflight(request, response, origin, HttpStatus.NO_CONTENT);
        }
        return Mono.fromCompletionStage(
                        gatekeeper.decide(apiKey, origin, single(headers, DATABASE_HEADER), path, start))
                .flatMap(verdict -> {
                    // Counted before the request goes upstream (docs/decisions/0008).
                    if (!recordUsage(verdict)) {
                        return Responses.unavailable(response);
                    }
                    if (verdict.outcome() != Outcome.ACCEPTED) {
                        return Responses.refusal(response, verdict, origin);
                    }
                    return forwarder.forward(request, response, path, verdict, origin, status -> {});
                });
    }

    private boolean isPreflight(String method, HttpHeaders headers, String apiKey, String origin) {
        return HttpMethod.OPTIONS.name().equals(method)
                && apiKey == null
                && origin != null
                && headers.getFirst(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
    }

    /** Answers a preflight for an origin that some database allows; it carries no key, so no limit. */
    private Mono<Void> preflight(
            ServerHttpRequest request, ServerHttpResponse response, String origin, HttpStatus success) {
        if (!state.caughtUp() || state.stale(clock.millis())) {
            return Responses.unavailable(response);
        }
        if (origin.isEmpty() || origin.length() > 2048 || !table.anyDatabaseAllows(origin)) {
            return Responses.forbidden(response);
        }
        HttpHeaders out = response.getHeaders();
        out.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        out.set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, Responses.ALLOWED_METHODS);
        String requested = request.getHeaders().getFirst(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
        out.set(
                HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS,
                requested != null && requested.length() <= MAX_ALLOW_HEADERS_LENGTH && printable(requested)
                        ? requested
                        : Responses.DEFAULT_ALLOWED_HEADERS);
        out.set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "600");
        out.set(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, Responses.EXPOSED);
        response.setStatusCode(success);
        out.setContentLength(0);
        return response.setComplete();
    }

    /** Spools the usage of a request with a known key; false when the spool is full and fails closed. */
    private boolean recordUsage(Verdict verdict) {
        if (!verdict.outcome().knownKey() || verdict.entry() == null) {
            return true;
        }
        UsageOutcome outcome = switch (verdict.outcome()) {
            case ACCEPTED -> UsageOutcome.ACCEPTED;
            case RATE_LIMITED -> UsageOutcome.RATE_LIMITED;
            case FORBIDDEN_SCOPE, FORBIDDEN_ORIGIN -> UsageOutcome.FORBIDDEN;
            default -> UsageOutcome.UNAVAILABLE;
        };
        return usage.record(verdict.keyId(), verdict.entry().organizationId(), outcome, clock.millis());
    }

    private boolean underPrefix(String path) {
        for (String prefix : prefixes) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The header's value when it occurs exactly once; {@code ""} when repeated (so a repeated key
     * is malformed and a repeated origin matches nothing); {@code null} when absent.
     */
    static String single(HttpHeaders headers, String name) {
        List<String> values = headers.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.get(0) : "";
    }

    private static String query(ServerHttpRequest request) {
        String query = request.getURI().getRawQuery();
        return query == null ? "" : "?" + query;
    }

    private static boolean printable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
