package dev.keyledger.cli.audit;

import dev.keyledger.cli.CliFailure;
import dev.keyledger.cli.ExitCodes;
import dev.keyledger.cli.http.ConnectionOptions;
import dev.keyledger.contracts.audit.JwkSet;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The public keys a verification trusts: a JWK set from a file (no network) or from a URL, such as
 * the query-service's {@code /api/v1/audit/signing-keys} (anyone may read it; no token is sent).
 */
final class SigningKeys {

    static final String PATH = "/api/v1/audit/signing-keys";
    private static final int MAX_BYTES = 1024 * 1024;

    private SigningKeys() {}

    /** {@code source} is an http(s) URL or a file path. */
    static JwkSet load(String source, Duration timeout) {
        String text = source.startsWith("http://") || source.startsWith("https://")
                ? fetch(ConnectionOptions.baseUrl(source, "--keys"), timeout)
                : read(Path.of(source));
        try {
            return JwkSet.parse(text);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--keys " + source + " is not a JWK set of Ed25519 keys: " + e.getMessage());
        }
    }

    private static String read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw CliFailure.usage("--keys " + file + " is larger than 1 MiB; a JWK set is small");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CliFailure.usage("--keys " + file + ": no such file");
        } catch (IOException e) {
            throw CliFailure.usage("cannot read --keys " + file + ": " + e.getMessage());
        }
    }

    private static String fetch(URI uri, Duration timeout) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new CliFailure(
                        ExitCodes.SERVICE,
                        "keyledger: the signing keys at " + uri + " answered HTTP " + response.statusCode());
            }
            if (response.body().length > MAX_BYTES) {
                throw new CliFailure(ExitCodes.SERVICE, "keyledger: the signing keys at " + uri + " exceed 1 MiB");
            }
            return new String(response.body(), StandardCharsets.UTF_8);
        } catch (HttpTimeoutException e) {
            throw unreachable(uri, "timed out");
        } catch (ConnectException e) {
            throw unreachable(uri, "connection refused");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(uri, "interrupted");
        } catch (IOException e) {
            throw unreachable(uri, String.valueOf(e.getMessage()));
        }
    }

    private static CliFailure unreachable(URI uri, String reason) {
        return new CliFailure(
                ExitCodes.SERVICE,
                "keyledger: cannot fetch the signing keys from " + uri + ": " + reason
                        + " (give a JWK set file with --keys to verify offline)");
    }
}
