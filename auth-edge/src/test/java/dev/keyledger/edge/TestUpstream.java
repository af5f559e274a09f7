package dev.keyledger.edge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;

/**
 * A small upstream for proxy tests, started once per JVM on a free loopback port: {@code /api/echo}
 * answers the request's headers and body as JSON-ish text, {@code /api/fail} answers 500,
 * {@code /api/slow} never answers in time, {@code /api/cors} answers with CORS and
 * {@code Connection}-named headers of its own. Every request carrying {@value #MARKER} is recorded
 * with its exact request-target, so a test can prove what reached the upstream (or that nothing did).
 */
public final class TestUpstream {

    /** Request header naming a test's requests, for {@link #received}. */
    public static final String MARKER = "X-Test-Marker";

    /** One request as the upstream received it: the exact request-target and the headers (names lower case). */
    public record Received(String uri, Map<String, List<String>> headers) {

        /** The header's values joined by ", ", or {@code null} when absent. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(", ", values);
        }
    }

    private static final Map<String, List<Received>> RECEIVED = new ConcurrentHashMap<>();

    private static DisposableServer server;

    private TestUpstream() {}

    /** The requests the upstream received with {@code X-Test-Marker: marker}, in order. */
    public static List<Received> received(String marker) {
        return List.copyOf(RECEIVED.getOrDefault(marker, List.of()));
    }

    /** Records a marked request; never matches, so routing goes on to the real routes. */
    private static boolean record(HttpServerRequest request) {
        String marker = request.requestHeaders().get(MARKER);
        if (marker != null) {
            Map<String, List<String>> headers = new TreeMap<>();
            request.requestHeaders()
                    .forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(h.getValue()));
            RECEIVED.computeIfAbsent(marker, m -> new CopyOnWriteArrayList<>())
                    .add(new Received(request.uri(), headers));
        }
        return false;
    }

    public static synchronized int port() {
        if (server == null) {
            server = HttpServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .route(routes -> routes.route(
                                    request -> record(request),
                                    (request, response) -> Mono.error(new IllegalStateException("never matches")))
                            .route(
                                    request -> request.uri().startsWith("/api/cors"),
                                    (request, response) -> response.header("Access-Control-Allow-Origin", "*")
                                            .header("Access-Control-Allow-Credentials", "true")
                                            .header("Access-Control-Expose-Headers", "X-Upstream-Private")
                                            .header("Connection", "X-Upstream-Private")
                                            .header("X-Upstream-Private", "hop")
                                            .header("X-Upstream", "yes")
                                            .sendString(Mono.just("cors")))
                            .route(
                                    request -> request.uri().startsWith("/api/fail"),
                                    (request, response) -> response.status(500)
                                            .header("Content-Type", "application/json")
                                            .sendString(Mono.just("{\"upstream\":\"failed\"}")))
                            .route(
                                    request -> request.uri().startsWith("/api/slow"),
                                    (request, response) -> response.sendString(
                                            Mono.just("late").delayElement(Duration.ofSeconds(10))))
                            .route(
                                    request -> true,
                                    (request, response) -> request.receive()
                                            .aggregate()
                                            .asString(StandardCharsets.UTF_8)
                                            .defaultIfEmpty("")
                                            .flatMap(body -> {
                                                Map<String, String> headers = new TreeMap<>();
                                                request.requestHeaders()
                                                        .forEach(h -> headers.merge(
                                                                h.getKey().toLowerCase(),
                                                                h.getValue(),
                                                                (a, b) -> a + "," + b));
                                                String text = "method="
                                                        + request.method().name() + "\nuri=" + request.uri()
                                                        + "\nheaders=" + headers + "\nbody=" + body;
                                                return response.header("Content-Type", "text/plain")
                                                        .header("X-Upstream", "yes")
                                                        .sendString(Mono.just(text))
                                                        .then();
                                            })))
                    .bindNow();
            Runtime.getRuntime().addShutdownHook(new Thread(server::disposeNow, "test-upstream-stop"));
        }
        return server.port();
    }
}
