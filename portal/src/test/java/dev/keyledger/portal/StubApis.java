package dev.keyledger.portal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the command-service and query-service on one loopback port, answering the few
 * calls the portal's security tests make, the way the real APIs answer them. It creates secret keys
 * with a fresh random plaintext, refuses organization {@link #FOREIGN} with 403, and records every
 * request it got (method, path, authorization header).
 */
final class StubApis implements AutoCloseable {

    static final String ORGANIZATION = "org_01JH0000000000000000000001";
    static final String FOREIGN = "org_01JH0000000000000000000002";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    record Call(String method, String path, String authorization) {}

    private final HttpServer server;
    private final SecureRandom random = new SecureRandom();
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<String> issuedKeys = new CopyOnWriteArrayList<>();

    StubApis() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        calls.add(new Call(method, path, exchange.getRequestHeaders().getFirst("Authorization")));
        exchange.getRequestBody().readAllBytes();
        if (path.contains(FOREIGN)) {
            send(
                    exchange,
                    403,
                    "{\"error\":\"forbidden\",\"message\":\"Not allowed for this organization\","
                            + "\"code\":\"INSUFFICIENT_PERMISSIONS\"}");
        } else if (method.equals("GET") && path.endsWith("/api-keys")) {
            send(exchange, 200, "{\"data\":[" + keyJson("key_01JH0000000000000000000010", "old key", null) + "]}");
        } else if (method.equals("POST") && path.endsWith("/api-keys")) {
            String plaintext = "sk_" + randomBase62(64);
            issuedKeys.add(plaintext);
            send(exchange, 201, keyJson("key_01JH0000000000000000000011", "new key", plaintext));
        } else {
            send(exchange, 404, "{\"error\":\"not_found\",\"message\":\"No such resource\",\"code\":\"NOT_FOUND\"}");
        }
    }

    private static String keyJson(String id, String name, String plaintext) {
        return "{\"id\":\"" + id + "\",\"type\":\"secret\",\"name\":\"" + name + "\",\"organization_id\":\""
                + ORGANIZATION + "\",\"database_id\":null,"
                + (plaintext == null ? "" : "\"key\":\"" + plaintext + "\",")
                + "\"last_four\":\"abcd\",\"created_at\":\"" + Instant.now() + "\",\"created_by\":\"alice\","
                + "\"expires_at\":null,\"status\":\"active\",\"last_used_at\":null,\"usage_count\":0}";
    }

    private String randomBase62(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        return text.toString();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
