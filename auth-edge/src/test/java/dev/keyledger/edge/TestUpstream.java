package dev.keyledger.edge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A small upstream for proxy tests, started once per JVM on a free loopback port: {@code /api/echo}
 * answers the request's headers and body as JSON-ish text, {@code /api/fail} answers 500,
 * {@code /api/slow} never answers in time.
 */
final class TestUpstream {

    private static DisposableServer server;

    private TestUpstream() {}

    static synchronized int port() {
        if (server == null) {
            server = HttpServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .route(routes -> routes.route(
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
