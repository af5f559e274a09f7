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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A stand-in for the command-service and query-service on one loopback port, for tests that run
 * the real portal in front of it. It records every request it got ({@link #calls}) and answers
 * with what the test's {@link Answers} return. Registered with {@code @RegisterExtension} on a
 * static field it forgets the recorded calls before each test and stops after the test class;
 * {@link #register} points the portal's both API URLs at it.
 *
 * <p>{@link #StubApis()} answers the few calls the portal's security tests make, the way the real
 * APIs answer them: it creates secret keys with a fresh random plaintext and refuses organization
 * {@link #FOREIGN} with 403.
 */
public final class StubApis implements BeforeEachCallback, AfterAllCallback, AutoCloseable {

    static final String ORGANIZATION = "org_01JH0000000000000000000001";
    static final String FOREIGN = "org_01JH0000000000000000000002";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** One request as the stand-in got it: {@code query} raw (null when there is none). */
    public record Call(String method, String path, String query, String authorization, String body) {

        /** The path with its raw query, as the portal asked for it. */
        public String target() {
            return query == null ? path : path + "?" + query;
        }
    }

    /** An answer: a JSON body with its status, or no body at all (null, for 204). */
    public record Response(int status, String body) {

        public static final Response NOT_FOUND =
                new Response(404, "{\"error\":\"not_found\",\"message\":\"No such resource\",\"code\":\"NOT_FOUND\"}");

        public static Response ok(String body) {
            return new Response(200, body);
        }
    }

    /** What the stand-in answers to a request; called on the server's thread. */
    @FunctionalInterface
    public interface Answers {
        Response answer(Call call);
    }

    public final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<String> issuedKeys = new CopyOnWriteArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private final Answers answers;
    private final HttpServer server;

    /** The security tests' stand-in (see the class comment). */
    StubApis() {
        answers = this::securityAnswer;
        server = start();
    }

    public StubApis(Answers answers) {
        this.answers = answers;
        server = start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Points the portal's command and query API URLs at this stand-in (from a {@code @DynamicPropertySource}). */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("keyledger.portal.command-url", this::url);
        registry.add("keyledger.portal.query-url", this::url);
    }

    /** The recorded requests' targets (path and raw query), in the order they came. */
    public List<String> targets() {
        return calls.stream().map(Call::target).toList();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        calls.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private HttpServer start() {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            created.createContext("/", this::handle);
            created.start();
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        Call call = new Call(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        calls.add(call);
        Response response = answers.answer(call);
        if (response.body() == null) {
            exchange.sendResponseHeaders(response.status(), -1);
        } else {
            byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private Response securityAnswer(Call call) {
        if (call.path().contains(FOREIGN)) {
            return new Response(
                    403,
                    "{\"error\":\"forbidden\",\"message\":\"Not allowed for this organization\","
                            + "\"code\":\"INSUFFICIENT_PERMISSIONS\"}");
        } else if (call.method().equals("GET") && call.path().endsWith("/api-keys")) {
            return Response.ok("{\"data\":[" + keyJson("key_01JH0000000000000000000010", "old key", null) + "]}");
        } else if (call.method().equals("POST") && call.path().endsWith("/api-keys")) {
            String plaintext = "sk_" + randomBase62(64);
            issuedKeys.add(plaintext);
            return new Response(201, keyJson("key_01JH0000000000000000000011", "new key", plaintext));
        }
        return Response.NOT_FOUND;
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
}
