package dev.keyledger.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyledger.cli.CliFailure;
import dev.keyledger.cli.ExitCodes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The OAuth 2.0 client-credentials grant (RFC 6749 section 4.4) against an OIDC provider: the
 * token endpoint comes from the issuer's discovery document
 * ({@code /.well-known/openid-configuration}), the client authenticates with HTTP Basic
 * ({@code client_secret_basic}). The secret is sent only to that endpoint and never printed.
 */
public final class ClientCredentials {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 256 * 1024;

    private final URI issuer;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final Duration timeout;
    private final HttpClient http;

    public ClientCredentials(URI issuer, String clientId, String clientSecret, String scope, Duration timeout) {
        this.issuer = issuer;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scope = scope;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** An access token and its lifetime in seconds (-1 when the provider did not say). */
    public record Token(String accessToken, long expiresIn) {}

    public Token fetch() {
        URI endpoint = tokenEndpoint();
        String form = "grant_type=client_credentials"
                + (scope == null || scope.isBlank()
                        ? ""
                        : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
        // RFC 6749 2.3.1: id and secret are form-encoded before they are joined for Basic.
        String basic = Base64.getEncoder()
                .encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                                + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        Reply reply = send(request);
        JsonNode body = reply.json();
        if (reply.status() != 200) {
            String error = text(body, "error");
            String description = text(body, "error_description");
            int exit = reply.status() == 400 || reply.status() == 401 || reply.status() == 403
                    ? ExitCodes.AUTH
                    : ExitCodes.SERVICE;
            throw new CliFailure(
                    exit,
                    "keyledger: the token endpoint " + endpoint + " answered HTTP " + reply.status()
                            + (error == null ? "" : " " + error)
                            + (description == null ? "" : ": " + description));
        }
        JsonNode tokenNode = body.get("access_token");
        String accessToken = tokenNode != null && tokenNode.isTextual() ? tokenNode.textValue() : null;
        // A bearer token is printable ASCII (RFC 6750 b64token); anything else is refused, not printed.
        if (accessToken == null || !accessToken.matches("[A-Za-z0-9\\-._~+/]+=*")) {
            throw new CliFailure(ExitCodes.SERVICE, "keyledger: the token endpoint answered no usable access_token");
        }
        JsonNode expires = body.get("expires_in");
        return new Token(accessToken, expires != null && expires.canConvertToLong() ? expires.asLong() : -1);
    }

    private URI tokenEndpoint() {
        URI discovery = URI.create(issuer + "/.well-known/openid-configuration");
        Reply reply = send(HttpRequest.newBuilder(discovery)
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET()
                .build());
        if (reply.status() != 200) {
            throw new CliFailure(
                    ExitCodes.SERVICE,
                    "keyledger: " + discovery + " answered HTTP " + reply.status()
                            + "; is --issuer the provider's issuer URL?");
        }
        String endpoint = text(reply.json(), "token_endpoint");
        if (endpoint == null) {
            throw new CliFailure(ExitCodes.SERVICE, "keyledger: " + discovery + " names no token_endpoint");
        }
        try {
            URI uri = URI.create(endpoint);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("not http(s)");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.SERVICE, "keyledger: " + discovery + " names a bad token_endpoint");
        }
    }

    private record Reply(int status, JsonNode json) {}

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = response.body();
            JsonNode json;
            try {
                json = body.length == 0 || body.length > MAX_BODY ? null : JSON.readTree(body);
            } catch (IOException notJson) {
                json = null;
            }
            return new Reply(response.statusCode(), json == null ? JSON.createObjectNode() : json);
        } catch (HttpTimeoutException e) {
            throw unreachable(request, "timed out after " + timeout.toSeconds() + " s");
        } catch (ConnectException e) {
            throw unreachable(request, "connection refused");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(request, "interrupted");
        } catch (IOException e) {
            throw unreachable(request, String.valueOf(e.getMessage()));
        }
    }

    private static CliFailure unreachable(HttpRequest request, String reason) {
        return new CliFailure(
                ExitCodes.SERVICE, "keyledger: cannot reach the identity provider at " + request.uri() + ": " + reason);
    }

    /** A member for a message: control characters replaced, at most 300 characters. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual()) {
            return null;
        }
        String text = value.asText().replaceAll("\\p{Cntrl}", " ");
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
