package dev.keyledger.command.idempotency;

import dev.keyledger.command.web.ErrorResponse;
import dev.keyledger.servicekit.security.CallerClaims;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.eventhandling.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stripe's Idempotency-Key semantics on every {@code POST} of the management API (decision record
 * 0013). Runs after Spring Security, so only an authenticated caller gets here, and wraps the
 * request in one database transaction that claims the key, carries the request's events and
 * stores its answer; the answer reaches the client only after that commit.
 *
 * <ul>
 *   <li>A bad header (empty, over 255 characters, not printable ASCII, sent twice) is 400.
 *   <li>A new key: the request runs; a 2xx answer is stored without its {@code key} member (the
 *       plaintext of a new key) and committed with the work; any other answer rolls back the
 *       claim with the work, so nothing is stored and the key stays free.
 *   <li>The key of a stored answer, same fingerprint: the stored status, {@code Location} and
 *       object again, with {@code "replayed": true} and the header {@code Idempotent-Replayed};
 *       another fingerprint (method, path or body): 409.
 *   <li>The key of a request still running: this one waits for it and then replays its answer,
 *       or does the work itself if that one was refused or died; after
 *       {@link IdempotencyProperties#lockTimeout()} it is 409 with {@code Retry-After}. Of the
 *       requests of one key on this instance only one is in the database ({@link InFlightKeys}:
 *       one pool connection per key, whatever the number of retries); up to
 *       {@link IdempotencyProperties#maxWaiters()} others wait for their turn without a
 *       connection, and any further one is 409 with {@code Retry-After} at once.
 * </ul>
 */
final class IdempotencyFilter extends OncePerRequestFilter {

    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    /** Seconds a client is told to wait before retrying a key that is still in progress. */
    static final int RETRY_AFTER_SECONDS = 1;

    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

    /** Outcomes, one counter each ({@code keyledger_idempotency_requests_total}). */
    enum Outcome {
        INVALID,
        EXECUTED,
        NOT_STORED,
        REPLAYED,
        MISMATCH,
        IN_PROGRESS,
        BUSY
    }

    private final IdempotencyStore store;
    private final TransactionTemplate transactions;
    private final CallerClaims claims;
    private final JsonMapper json;
    private final IdempotencyProperties properties;
    private final EventBus eventBus;
    private final InFlightKeys inFlight;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

    IdempotencyFilter(
            IdempotencyStore store,
            TransactionTemplate transactions,
            CallerClaims claims,
            JsonMapper json,
            IdempotencyProperties properties,
            EventBus eventBus,
            MeterRegistry meters) {
        this.store = store;
        this.transactions = transactions;
        this.claims = claims;
        this.json = json;
        this.properties = properties;
        this.eventBus = eventBus;
        this.inFlight = new InFlightKeys(properties.maxWaiters());
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(
                    outcome,
                    Counter.builder("keyledger.idempotency.requests")
                            .description("Management POSTs with an Idempotency-Key, by outcome")
                            .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                            .register(meters));
        }
    }

    /** PUT, PATCH and DELETE are idempotent by themselves; GET changes nothing: the header is ignored. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<IdempotencyKey> parsed;
        try {
            parsed = IdempotencyKey.of(request.getHeaders(IdempotencyKey.HEADER));
        } catch (IdempotencyKey.Invalid e) {
            count(Outcome.INVALID);
            write(
                    response,
                    HttpStatus.BAD_REQUEST,
                    new ErrorResponse(
                            "bad_request",
                            e.getMessage(),
                            ErrorResponse.VALIDATION_FAILED,
                            List.of(new ErrorResponse.FieldError(IdempotencyKey.HEADER, e.getMessage()))));
            return;
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (parsed.isEmpty() || !(authentication instanceof JwtAuthenticationToken token)) {
            chain.doFilter(request, response);
            return;
        }
        CachedBodyRequest cached = CachedBodyRequest.read(request);
        if (cached.unreadable()) {
            // The body is refused downstream (413, or a lost connection); nothing to claim for it.
            chain.doFilter(cached, response);
            return;
        }
        IdempotencyKey key = parsed.get();
        Jwt jwt = token.getToken();
        byte[] scope = RequestFingerprint.scope(jwt.getSubject(), claims.organization(jwt));
        String query = request.getQueryString();
        byte[] fingerprint = RequestFingerprint.of(
                request.getMethod(), request.getRequestURI() + (query == null ? "" : "?" + query), cached.body());

        InFlightKeys.Pass pass = inFlight.enter(scope, key.value());
        if (pass == null) {
            // Already one request of this key in the database and maxWaiters waiting for it.
            count(Outcome.BUSY);
            inProgress(response);
            return;
        }
        try (pass) {
            long waitStart = System.nanoTime();
            if (!pass.awaitTurn(properties.lockTimeout())) {
                count(Outcome.IN_PROGRESS);
                inProgress(response);
                return;
            }
            // One bound for the whole wait: here for this instance's request, then on the row lock.
            Duration left = properties.lockTimeout().minusNanos(System.nanoTime() - waitStart);
            execute(response, chain, cached, key, scope, fingerprint, left);
        }
    }

    /** Claim, work and answer in one transaction (or the stored answer), with this instance's turn. */
    private void execute(
            HttpServletResponse response,
            FilterChain chain,
            CachedBodyRequest cached,
            IdempotencyKey key,
            byte[] scope,
            byte[] fingerprint,
            Duration lockTimeout)
            throws ServletException, IOException {
        ContentCachingResponseWrapper buffered = new ContentCachingResponseWrapper(response);
        Result result;
        try {
            result = transactions.execute(transaction -> {
                Optional<IdempotencyStore.StoredAnswer> stored = store.claim(scope, key, fingerprint, lockTimeout);
                if (stored.isPresent()) {
                    IdempotencyStore.StoredAnswer answer = stored.get();
                    if (!answer.sameRequest(fingerprint)) {
                        return new Result(Outcome.MISMATCH, null);
                    }
                    return answer.complete()
                            ? new Result(Outcome.REPLAYED, answer)
                            : new Result(Outcome.IN_PROGRESS, null);
                }
                run(chain, cached, buffered);
                int status = buffered.getStatus();
                if (status >= 200 && status < 300) {
                    store.complete(
                            scope,
                            key,
                            status,
                            buffered.getHeader(HttpHeaders.LOCATION),
                            withoutPlaintext(buffered.getContentAsByteArray()));
                    return new Result(Outcome.EXECUTED, null);
                }
                transaction.setRollbackOnly();
                return new Result(Outcome.NOT_STORED, null);
            });
        } catch (ChainFailure failure) {
            failure.rethrow();
            return;
        } catch (PessimisticLockingFailureException e) {
            result = new Result(Outcome.IN_PROGRESS, null);
        } catch (TransactionException e) {
            // The work was rolled back (the commit failed): nothing happened, the key is free.
            log.warn(
                    "The transaction of an idempotent request failed: {}",
                    e.getClass().getName());
            response.reset();
            write(
                    response,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    new ErrorResponse(
                            "service_unavailable",
                            "The request was not completed; retry it with the same Idempotency-Key",
                            "SERVICE_UNAVAILABLE",
                            null));
            return;
        }
        count(result.outcome());
        switch (result.outcome()) {
            case EXECUTED -> {
                buffered.copyBodyToResponse();
                nudgeRelay();
            }
            case NOT_STORED -> buffered.copyBodyToResponse();
            case REPLAYED -> replay(response, result.answer());
            case MISMATCH ->
                write(
                        response,
                        HttpStatus.CONFLICT,
                        new ErrorResponse(
                                "conflict",
                                "This Idempotency-Key was used with another request (method, path or body)",
                                ErrorResponse.CONFLICT,
                                null));
            case INVALID, BUSY -> throw new IllegalStateException("refused before the transaction");
            case IN_PROGRESS -> inProgress(response);
        }
    }

    /**
     * 409 for a key whose first request has not finished (Stripe's answer for a key in flight),
     * with {@code Retry-After}: retrying the same request later replays that request's answer.
     */
    private void inProgress(HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        write(
                response,
                HttpStatus.CONFLICT,
                new ErrorResponse(
                        "conflict",
                        "A request with this Idempotency-Key is still in progress; retry later",
                        ErrorResponse.CONFLICT,
                        null));
    }

    private record Result(Outcome outcome, IdempotencyStore.StoredAnswer answer) {}

    private static void run(FilterChain chain, HttpServletRequest request, HttpServletResponse response) {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException e) {
            throw new ChainFailure(e);
        }
    }

    /**
     * The stored form of an answer: the JSON object without its {@code key} member, so that the
     * plaintext of a new key (secret or public) is never written to the table.
     */
    byte[] withoutPlaintext(byte[] body) {
        if (body.length == 0) {
            return body;
        }
        try {
            JsonNode tree = json.readTree(body);
            if (tree instanceof ObjectNode object) {
                object.remove("key");
                return json.writeValueAsBytes(object);
            }
            return body;
        } catch (JacksonException e) {
            // Not JSON: no member to remove, and nothing the controllers answer with.
            return body;
        }
    }

    private void replay(HttpServletResponse response, IdempotencyStore.StoredAnswer answer) throws IOException {
        byte[] body = answer.body();
        if (body.length > 0) {
            try {
                JsonNode tree = json.readTree(body);
                if (tree instanceof ObjectNode object) {
                    object.put("replayed", true);
                    body = json.writeValueAsBytes(object);
                }
            } catch (JacksonException e) {
                // Stored as it was answered: replay it as it is.
            }
        }
        response.setStatus(answer.status());
        if (answer.location() != null) {
            response.setHeader(HttpHeaders.LOCATION, answer.location());
        }
        response.setHeader(REPLAYED_HEADER, "true");
        if (body.length > 0) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    /**
     * Axon tells its tracking processors about new events when its unit of work commits, which here
     * is before this filter's transaction commits, so the relay looked too early and would find the
     * events only at its next poll (up to a second later). Publishing nothing outside a unit of
     * work tells them again, now that the events are visible.
     */
    private void nudgeRelay() {
        try {
            eventBus.publish(List.of());
        } catch (RuntimeException e) {
            log.warn("Could not wake the event processors: {}", e.getClass().getName());
        }
    }

    private void write(HttpServletResponse response, HttpStatus status, ErrorResponse error) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), error);
    }

    private void count(Outcome outcome) {
        outcomes.get(outcome).increment();
    }

    /** A checked exception of the filter chain, carried through the transaction callback. */
    private static final class ChainFailure extends RuntimeException {

        ChainFailure(Exception cause) {
            super(cause);
        }

        void rethrow() throws IOException, ServletException {
            if (getCause() instanceof IOException io) {
                throw io;
            }
            throw (ServletException) getCause();
        }
    }
}
