package dev.keyledger.cli.auth;

import dev.keyledger.cli.CliFailure;
import dev.keyledger.cli.http.ConnectionOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keyledger auth token}: fetches an access token with the client-credentials grant and
 * prints it alone on stdout, so that {@code export KEYLEDGER_TOKEN=$(keyledger auth token ...)}
 * works. The secret comes from a flag, {@code KEYLEDGER_CLIENT_SECRET}, or a file.
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = {
            "Fetch an access token with the OAuth 2.0 client-credentials grant and print it on stdout.",
            "The token endpoint is read from ISSUER/.well-known/openid-configuration."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:token printed",
            "2:usage error",
            "3:provider unreachable",
            "4:the provider refused the client"
        })
public final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--issuer",
            paramLabel = "URL",
            defaultValue = "${env:KEYLEDGER_ISSUER}",
            description = "OIDC issuer, e.g. http://localhost:8090 (env KEYLEDGER_ISSUER)")
    String issuer;

    @Option(
            names = "--client-id",
            paramLabel = "ID",
            defaultValue = "${env:KEYLEDGER_CLIENT_ID}",
            description = "client id (env KEYLEDGER_CLIENT_ID)")
    String clientId;

    @Option(
            names = "--client-secret",
            paramLabel = "SECRET",
            defaultValue = "${env:KEYLEDGER_CLIENT_SECRET}",
            description = "client secret (env KEYLEDGER_CLIENT_SECRET; flags show in ps, prefer the variable or"
                    + " --client-secret-file)")
    String clientSecret;

    @Option(
            names = "--client-secret-file",
            paramLabel = "FILE",
            description = "read the client secret from the first line of FILE")
    java.nio.file.Path clientSecretFile;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "scope to request (space-separated)")
    String scope;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "timeout in seconds (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() {
        if (issuer == null || issuer.isBlank()) {
            throw CliFailure.usage("give --issuer or KEYLEDGER_ISSUER");
        }
        if (clientId == null || clientId.isBlank()) {
            throw CliFailure.usage("give --client-id or KEYLEDGER_CLIENT_ID");
        }
        String secret = secret();
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw CliFailure.usage("--timeout must be 1 to 3600 seconds");
        }
        ClientCredentials.Token token = new ClientCredentials(
                        ConnectionOptions.baseUrl(issuer, "--issuer"),
                        clientId,
                        secret,
                        scope,
                        Duration.ofSeconds(timeoutSeconds))
                .fetch();
        PrintWriter out = spec.commandLine().getOut();
        out.println(token.accessToken());
        out.flush();
        return 0;
    }

    private String secret() {
        if (clientSecretFile != null) {
            try {
                String line = java.nio.file.Files.readAllLines(clientSecretFile).stream()
                        .findFirst()
                        .orElse("")
                        .strip();
                if (line.isEmpty()) {
                    throw CliFailure.usage("--client-secret-file " + clientSecretFile + " is empty");
                }
                return line;
            } catch (java.io.IOException e) {
                throw CliFailure.usage("cannot read --client-secret-file " + clientSecretFile + ": " + e);
            }
        }
        if (clientSecret == null || clientSecret.isEmpty()) {
            throw CliFailure.usage("give --client-secret, KEYLEDGER_CLIENT_SECRET or --client-secret-file");
        }
        return clientSecret;
    }
}
