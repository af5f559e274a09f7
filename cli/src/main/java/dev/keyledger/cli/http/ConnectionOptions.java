package dev.keyledger.cli.http;

import dev.keyledger.cli.CliFailure;
import dev.keyledger.cli.auth.ClientCredentials;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The connection flags of every subcommand that calls a service (CONTRACT.md, "Operator CLI"),
 * each with its environment variable. The bearer token is {@code --token}; without it, and with a
 * client id and secret, a client-credentials token is fetched from {@code --issuer} first.
 */
public final class ConnectionOptions {

    @Option(
            names = "--command-url",
            paramLabel = "URL",
            defaultValue = "${env:KEYLEDGER_COMMAND_URL:-http://localhost:8081}",
            description = "command-service base URL (env KEYLEDGER_COMMAND_URL; default: ${DEFAULT-VALUE})")
    String commandUrl;

    @Option(
            names = "--query-url",
            paramLabel = "URL",
            defaultValue = "${env:KEYLEDGER_QUERY_URL:-http://localhost:8082}",
            description = "query-service base URL (env KEYLEDGER_QUERY_URL; default: ${DEFAULT-VALUE})")
    String queryUrl;

    @Option(
            names = "--token",
            paramLabel = "JWT",
            defaultValue = "${env:KEYLEDGER_TOKEN}",
            description = "bearer token (env KEYLEDGER_TOKEN)")
    String token;

    @Option(
            names = "--issuer",
            paramLabel = "URL",
            defaultValue = "${env:KEYLEDGER_ISSUER}",
            description =
                    "OIDC issuer for a client-credentials token when no --token is given" + " (env KEYLEDGER_ISSUER)")
    String issuer;

    @Option(
            names = "--client-id",
            paramLabel = "ID",
            defaultValue = "${env:KEYLEDGER_CLIENT_ID}",
            description = "OAuth client id for the client-credentials token (env KEYLEDGER_CLIENT_ID)")
    String clientId;

    @Option(
            names = "--client-secret",
            paramLabel = "SECRET",
            defaultValue = "${env:KEYLEDGER_CLIENT_SECRET}",
            description = "OAuth client secret (env KEYLEDGER_CLIENT_SECRET; prefer the variable: flags show in ps)")
    String clientSecret;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "connect and response timeout in seconds (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    /** A client of the query-service with the bearer token, fetching one first if configured. */
    public ServiceClient queryService() {
        return client("query-service", queryUrl, "--query-url");
    }

    /** A client of the command-service with the bearer token, fetching one first if configured. */
    public ServiceClient commandService() {
        return client("command-service", commandUrl, "--command-url");
    }

    public Duration timeout() {
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw CliFailure.usage("--timeout must be 1 to 3600 seconds");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    private ServiceClient client(String name, String url, String flag) {
        URI base = baseUrl(url, flag);
        return new ServiceClient(name, base, bearer(), timeout());
    }

    private String bearer() {
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        boolean anyCredential = clientId != null || clientSecret != null;
        if (!anyCredential) {
            return null;
        }
        if (clientId == null || clientSecret == null || issuer == null) {
            throw CliFailure.usage(
                    "a client-credentials token needs --issuer, --client-id and --client-secret (or their"
                            + " KEYLEDGER_* variables)");
        }
        return new ClientCredentials(baseUrl(issuer, "--issuer"), clientId, clientSecret, null, timeout())
                .fetch()
                .accessToken();
    }

    /** Parses a base URL given as a flag: http or https, with a host, without query or fragment. */
    public static URI baseUrl(String value, String flag) {
        URI uri;
        try {
            uri = new URI(value == null ? "" : value.strip());
        } catch (URISyntaxException e) {
            throw CliFailure.usage(flag + " is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw CliFailure.usage(flag + " must be an http(s) URL such as http://localhost:8082, not '" + value + "'");
        }
        String text = uri.toString();
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }
}
