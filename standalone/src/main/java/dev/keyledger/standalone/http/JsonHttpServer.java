package dev.keyledger.standalone.http;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A JDK HTTP server that speaks JSON, with one handler per path prefix. */
public final class JsonHttpServer implements AutoCloseable {

    /** Request bodies larger than this are refused with 413, as on every Keyledger service. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** How much of a too-large body is read and dropped so that its 413 arrives; beyond it, a reset. */
    static final long DRAIN_LIMIT_BYTES = 16L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(JsonHttpServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private JsonHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** A handler that answers with a {@link Response} instead of writing to the exchange itself. */
    @FunctionalInterface
    public interface JsonHandler {
        Response handle(HttpExchange exchange) throws IOException, RequestException;
    }

    /** A status and a JSON object body. */
    public record Response(int status, Map<String, ?> body, Map<String, String> headers) {

        public static Response json(int status, Map<String, ?> body) {
            return new Response(status, body, Map.of());
        }

        public Response withHeader(String name, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(name, value);
            return new Response(status, body, all);
        }
    }

    /** A client mistake, answered with the error JSON and never logged as a failure. */
    public static final class RequestException extends Exception {

        private final Response response;

        public RequestException(Response response) {
            super(String.valueOf(response.body().get("message")), null, false, false);
            this.response = response;
        }

        public Response response() {
            return response;
        }
    }

    /**
     * Binds {@code host:port} (port 0 picks a free port) without serving yet, so the caller can
     * learn the port before it registers handlers that depend on it.
     */
    public static JsonHttpServer bind(String name, String host, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            ExecutorService executor = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name(name + "-", 0).factory());
            server.setExecutor(executor);
            server.createContext("/", adapt(exchange -> error(404, "not_found", "No such resource", "NOT_FOUND")));
            return new JsonHttpServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + name + " to " + host + ":" + port, e);
        }
    }

    /** Serves every path under {@code pathPrefix} with {@code handler}; call before {@link #start()}. */
    public JsonHttpServer route(String pathPrefix, JsonHandler handler) {
        server.createContext(pathPrefix, adapt(handler));
        return this;
    }

    public JsonHttpServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    /** The error JSON every Keyledger service answers with. */
    public static Response error(int status, String error, String message, String code) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        body.put("code", code);
        return Response.json(status, body);
    }

    /** A 400 VALIDATION_FAILED naming the offending field. */
    public static RequestException validation(String field, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "bad_request");
        body.put("message", field + ": " + message);
        body.put("code", "VALIDATION_FAILED");
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("field", field);
        detail.put("message", message);
        body.put("details", List.of(detail));
        return new RequestException(Response.json(400, body));
    }

    /** Reads the whole request body as UTF-8, refusing more than {@link #MAX_BODY_BYTES}. */
    public static String body(HttpExchange exchange) throws IOException, RequestException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                // Read the rest (up to a bound) before answering: closing with the body unread
                // resets the connection, and a proxy still sending it (the edge) would then lose
                // this 413 and answer 502 instead (docs/auth-edge.md, "Modes").
                discard(in, DRAIN_LIMIT_BYTES);
                throw new RequestException(
                        error(413, "payload_too_large", "Request body exceeds 64 KiB", "PAYLOAD_TOO_LARGE"));
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static void discard(InputStream in, long limit) throws IOException {
        byte[] sink = new byte[16 * 1024];
        long read = 0;
        int n;
        while (read < limit && (n = in.read(sink, 0, (int) Math.min(sink.length, limit - read))) > 0) {
            read += n;
        }
    }

    /** Refuses any method but {@code allowed} with 405. */
    public static void requireMethod(HttpExchange exchange, String allowed) throws RequestException {
        if (!exchange.getRequestMethod().equalsIgnoreCase(allowed)) {
            throw new RequestException(error(405, "method_not_allowed", "Use " + allowed, "METHOD_NOT_ALLOWED")
                    .withHeader("Allow", allowed));
        }
    }

    private static HttpHandler adapt(JsonHandler handler) {
        return exchange -> {
            Response response;
            try {
                response = handler.handle(exchange);
            } catch (RequestException e) {
                response = e.response();
            } catch (RuntimeException | IOException e) {
                LOG.warn(
                        "{} {} failed",
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        e);
                response = error(500, "internal_error", "Unexpected error", "INTERNAL_ERROR");
            }
            write(exchange, response);
        };
    }

    private static void write(HttpExchange exchange, Response response) throws IOException {
        byte[] bytes = JSONObjectUtils.toJSONString(new LinkedHashMap<String, Object>(response.body()))
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        response.headers().forEach(exchange.getResponseHeaders()::set);
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(response.status(), head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        } finally {
            exchange.close();
        }
    }
}
