package dev.keyledger.command.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Flow;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for tests of the management API over a real socket. */
public final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public ApiClient(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    /** A response with its body parsed as JSON when there is one. */
    public record Response(int status, java.net.http.HttpHeaders headers, String body) {

        public JsonNode json() {
            return body.isEmpty() ? JSON.missingNode() : JSON.readTree(body);
        }

        /** Text of a top-level field, or {@code null}. */
        public String text(String field) {
            JsonNode node = json().get(field);
            return node == null || node.isNull() ? null : node.asString();
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Request request(String method, String path) {
        return new Request(method, path);
    }

    public Response post(String path, String token, String json) {
        return request("POST", path).bearer(token).json(json).send();
    }

    public Response put(String path, String token, String json) {
        return request("PUT", path).bearer(token).json(json).send();
    }

    public Response patch(String path, String token, String json) {
        return request("PATCH", path).bearer(token).json(json).send();
    }

    public Response delete(String path, String token) {
        return request("DELETE", path).bearer(token).send();
    }

    /** A request under construction. */
    public final class Request {

        private final HttpRequest.Builder builder;
        private final String method;
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();

        Request(String method, String path) {
            this.method = method;
            this.builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("User-Agent", "keyledger-test");
        }

        public Request bearer(String token) {
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            return this;
        }

        public Request header(String name, String value) {
            builder.header(name, value);
            return this;
        }

        public Request json(String json) {
            return body("application/json", json);
        }

        public Request body(String contentType, String content) {
            if (content != null) {
                builder.header("Content-Type", contentType);
                body = HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8);
            }
            return this;
        }

        /** A body sent with chunked transfer encoding, without a Content-Length. */
        public Request chunkedJson(String json) {
            builder.header("Content-Type", "application/json");
            HttpRequest.BodyPublisher known = HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8);
            body = new HttpRequest.BodyPublisher() {
                @Override
                public long contentLength() {
                    return -1;
                }

                @Override
                public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                    known.subscribe(subscriber);
                }
            };
            return this;
        }

        public Response send() {
            try {
                HttpResponse<String> response =
                        http.send(builder.method(method, body).build(), HttpResponse.BodyHandlers.ofString());
                return new Response(response.statusCode(), response.headers(), response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
