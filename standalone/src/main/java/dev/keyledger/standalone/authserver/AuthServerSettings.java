package dev.keyledger.standalone.authserver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The development authorization server's own settings, under {@code keyledger.authserver}; the
 * standard ones (issuer, registered clients) are Spring Authorization Server's
 * {@code spring.security.oauth2.authorizationserver.*}.
 *
 * @param keyFile the RSA signing key (JWK JSON), created on first start, shared by every token
 * @param tokenLifetime lifetime of {@code /dev/token} tokens
 * @param audience the {@code aud} of every access token: the APIs' expected audience
 * @param allowedHosts the host names a request's {@code Host} header may carry; anything else is
 *     refused, so that a web page cannot reach the provider through DNS rebinding
 * @param clientCredentials the claims of each client-credentials client's tokens, by client id
 *     (the clients themselves are registered with Spring Authorization Server's settings)
 */
@ConfigurationProperties("keyledger.authserver")
record AuthServerSettings(
        Path keyFile,
        @DefaultValue("1h") Duration tokenLifetime,
        @DefaultValue("keyledger") String audience,
        @DefaultValue({"localhost", "127.0.0.1", "[::1]"}) List<String> allowedHosts,
        List<ClientClaims> clientCredentials) {

    AuthServerSettings {
        clientCredentials = clientCredentials == null ? List.of() : List.copyOf(clientCredentials);
    }

    /** The claims a client-credentials client's tokens carry. */
    record ClientClaims(String clientId, List<String> roles, String organizationId) {

        ClientClaims {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }

    /** The claims of {@code clientId}'s tokens, if it is a configured client-credentials client. */
    java.util.Optional<ClientClaims> claimsOf(String clientId) {
        return clientCredentials.stream()
                .filter(client -> client.clientId().equals(clientId))
                .findFirst();
    }
}
