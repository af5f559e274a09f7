package dev.keyledger.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyledger.cli.CliFailure;
import dev.keyledger.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One service's HTTP API as the CLI uses it: JSON calls and a streamed download, with the bearer
 * token. Every failure becomes a {@link CliFailure}: an HTTP error prints the contract's error
 * JSON {@code message} (and {@code code}), exit 4 for 401/403 and 3 otherwise; a network failure
 * names the URL, exit 3.
 */
public final class ServiceClient {

    public static final ObjectMapper JSON = new ObjectMapper();
    /** An error body is read for its message only; anything longer is cut. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final String name;
    private final URI base;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    ServiceClient(String name, URI base, String token, Duration timeout) {
        this.name = name;
        this.base = base;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public URI base() {
        return base;
    }

    /** {@code GET path} answering JSON. */
    public JsonNode getJson(String path) {
        HttpResponse<InputStream> response = send(request(path).GET().header("Accept", "application/json"));
        return readJson(response);
    }

    /** {@code POST path} without a body; the answer's status and JSON (empty object when none). */
    public Answer post(String path) {
        HttpResponse<InputStream> response =
                send(request(path).POST(HttpRequest.BodyPublishers.noBody()).header("Accept", "application/json"));
        return new Answer(response.statusCode(), readJson(response));
    }

    /**
     * {@code GET path} with {@code accept}, for a download: the open body stream of a 2xx answer.
     * There is no response timeout: an export may take minutes; the connect timeout still holds.
     */
    public HttpResponse<InputStream> stream(String path, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET().header("Accept", accept);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    /** A status and its JSON body. */
    public record Answer(int status, JsonNode body) {}

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(timeout);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private HttpResponse<InputStream> send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw network(request, "connect timed out after " + timeout.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw network(request, "no answer within " + timeout.toSeconds() + " s");
        } catch (ConnectException e) {
            throw network(request, "connection refused (is it running? see " + flag() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw network(request, "interrupted");
        } catch (InterruptedIOException e) {
            throw network(request, "interrupted");
        } catch (IOException e) {
            throw network(request, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        if (response.statusCode() >= 400) {
            throw httpError(response);
        }
        return response;
    }

    private String flag() {
        return name.equals("query-service") ? "--query-url" : "--command-url";
    }

    private CliFailure network(HttpRequest request, String reason) {
        return new CliFailure(
                ExitCodes.SERVICE,
                "keyledger: cannot reach " + name + " at " + base + " (" + request.method() + " "
                        + request.uri().getRawPath() + "): " + reason);
    }

    /** The contract's error JSON message, or what the body has when it is not that JSON. */
    private CliFailure httpError(HttpResponse<InputStream> response) {
        int status = response.statusCode();
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        } catch (IOException e) {
            body = "";
        }
        String message = null;
        String code = null;
        try {
            JsonNode error = JSON.readTree(body);
            if (error != null && error.isObject()) {
                message = text(error, "message");
                code = text(error, "code");
            }
        } catch (IOException notJson) {
            // Not the contract's JSON (a proxy's page, say): its first line is shown instead.
        }
        if (message == null) {
            String firstLine = body.strip().lines().findFirst().orElse("");
            message = firstLine.isEmpty() ? "no error message" : clip(firstLine, 200);
        }
        String reason = name + " answered HTTP " + status + (code == null ? "" : " " + code) + ": " + message;
        boolean auth = status == 401 || status == 403;
        if (status == 401) {
            return new CliFailure(
                    ExitCodes.AUTH,
                    status,
                    "keyledger: " + reason,
                    "keyledger: give a bearer token with --token or KEYLEDGER_TOKEN, or client credentials"
                            + " (docs/cli.md, \"Signing in\")");
        }
        return new CliFailure(auth ? ExitCodes.AUTH : ExitCodes.SERVICE, status, "keyledger: " + reason);
    }

    private JsonNode readJson(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            byte[] body = in.readAllBytes();
            if (body.length == 0) {
                return JSON.createObjectNode();
            }
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new CliFailure(
                    ExitCodes.SERVICE,
                    "keyledger: " + name + " answered HTTP " + response.statusCode() + " with a body that is not"
                            + " JSON: " + clip(String.valueOf(e.getMessage()), 200));
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? clip(value.asText(), 500) : null;
    }

    static String clip(String text, int max) {
        String clean = text.replaceAll("\\p{Cntrl}", " ");
        return clean.length() > max ? clean.substring(0, max) + "..." : clean;
    }
}
