package dev.keyledger.standalone.upstream;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import dev.keyledger.standalone.http.JsonHttpServer;
import dev.keyledger.standalone.http.JsonHttpServer.RequestException;
import dev.keyledger.standalone.http.JsonHttpServer.Response;
import java.io.IOException;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The demo upstream API; see the package documentation. */
public final class DemoUpstream implements AutoCloseable {

    public static final String CHAT_PATH = "/api/v1/chat/message";

    private static final String CALLER_HEADER_PREFIX = "x-keyledger-";

    private final JsonHttpServer server;

    private DemoUpstream(String host, int port) {
        this.server = JsonHttpServer.bind("demo-upstream", host, port)
                .route("/api/", DemoUpstream::handle)
                .start();
    }

    /** Starts the upstream on {@code host:port} (0 for any free port). */
    public static DemoUpstream start(String host, int port) {
        return new DemoUpstream(host, port);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    private static Response handle(HttpExchange exchange) throws IOException, RequestException {
        String path = exchange.getRequestURI().getPath();
        Map<String, Object> request = parse(JsonHttpServer.body(exchange));
        Map<String, Object> answer = new LinkedHashMap<>();
        if (path.equals(CHAT_PATH) && exchange.getRequestMethod().equalsIgnoreCase("POST")) {
            Object message = request.getOrDefault("message", "");
            Object conversation = request.get("conversation_id");
            answer.put("reply", "You said: " + message);
            answer.put(
                    "conversation_id",
                    conversation instanceof String id && !id.isBlank() ? id : "conv_" + UUID.randomUUID());
        } else {
            answer.put("method", exchange.getRequestMethod());
            answer.put("path", path);
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null) {
                answer.put("query", query);
            }
            if (!request.isEmpty()) {
                answer.put("body", request);
            }
        }
        answer.put("caller", callerHeaders(exchange));
        return Response.json(200, answer);
    }

    /** The body as a JSON object, or as text under {@code text} when it is not one. */
    private static Map<String, Object> parse(String body) {
        if (body.isBlank()) {
            return Map.of();
        }
        try {
            return JSONObjectUtils.parse(body);
        } catch (ParseException | RuntimeException e) {
            return Map.of("text", body);
        }
    }

    /** {@code X-Keyledger-*} headers in their conventional capitalisation, sorted by name. */
    private static Map<String, String> callerHeaders(HttpExchange exchange) {
        return exchange.getRequestHeaders().entrySet().stream()
                .filter(header -> header.getKey().toLowerCase(Locale.ROOT).startsWith(CALLER_HEADER_PREFIX))
                .collect(Collectors.toMap(
                        header -> canonical(header.getKey()),
                        header -> String.join(", ", header.getValue()),
                        (first, second) -> first + ", " + second,
                        TreeMap::new));
    }

    private static String canonical(String name) {
        return Stream.of(name.toLowerCase(Locale.ROOT).split("-"))
                .map(part -> part.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1))
                .collect(Collectors.joining("-"));
    }
}
