package dev.keyledger.standalone;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the standalone platform, all under {@code keyledger.standalone}.
 *
 * @param mode what this process runs: {@code all} (the whole platform, the default), {@code idp}
 *     (only the development identity provider) or {@code upstream} (only the demo upstream), so a
 *     deployment of separate services can run those two on their own (docs/deploy.md)
 * @param dataDir where PostgreSQL, Kafka and the identity provider keep their state; defaults to
 *     {@code ~/.keyledger/standalone}
 * @param host the address clients (the services, the readiness probes) connect to
 * @param bindAddress where every listener binds: PostgreSQL, Kafka, the identity provider, the
 *     upstream and the services' API and management ports. Set it with the one setting
 *     {@code keyledger.bind-address} (standalone.yml maps it here); {@code 0.0.0.0} in a container
 * @param readinessTimeout how long one service may take to start and report readiness
 * @param services per-service overrides keyed by service name ({@code command-service},
 *     {@code query-service}, {@code auth-edge}); an absent entry means the service's defaults
 */
@ConfigurationProperties("keyledger.standalone")
public record StandaloneProperties(
        @DefaultValue("all") Mode mode,
        Path dataDir,
        @DefaultValue("127.0.0.1") String host,
        @DefaultValue("127.0.0.1") String bindAddress,
        @DefaultValue("120s") Duration readinessTimeout,
        @DefaultValue Postgres postgres,
        @DefaultValue Kafka kafka,
        @DefaultValue IdentityProvider idp,
        @DefaultValue Upstream upstream,
        Map<String, Service> services) {

    public StandaloneProperties {
        if (mode == null) {
            mode = Mode.ALL;
        }
        if (dataDir == null) {
            dataDir = Path.of(System.getProperty("user.home"), ".keyledger", "standalone");
        }
        services = services == null ? Map.of() : Map.copyOf(services);
    }

    /** What one standalone process runs ({@code keyledger.standalone.mode}). */
    public enum Mode {
        /** PostgreSQL, Kafka, the identity provider, the demo upstream and the services. */
        ALL,
        /** Only the development identity provider (Spring Authorization Server). */
        IDP,
        /** Only the demo upstream API. */
        UPSTREAM
    }

    /** The embedded PostgreSQL server (user {@code postgres}, trust authentication, loopback only). */
    public record Postgres(@DefaultValue("15432") int port) {}

    /**
     * The single-node KRaft broker.
     *
     * @param port the PLAINTEXT listener clients use
     * @param controllerPort the KRaft controller listener, used only inside the broker process
     * @param partitions partitions of each Keyledger topic when it is first created
     */
    public record Kafka(
            @DefaultValue("9092") int port,
            @DefaultValue("9093") int controllerPort,
            @DefaultValue("6") int partitions) {}

    /**
     * The development identity provider.
     *
     * @param issuer the {@code iss} claim; defaults to {@code http://localhost:<port>}
     * @param audience the {@code aud} of every token, and the audience the services expect
     * @param allowedHosts names a request's {@code Host} header may carry (any port); anything else
     *     is refused, so a web page cannot reach the provider through DNS rebinding
     * @param portalBaseUrl where the portal answers, for the {@code portal} client's redirect URIs
     *     ({@code <base>/login/oauth2/code/keyledger}, after logout {@code <base>/}); defaults to the
     *     portal this standalone runs ({@code http://<host>:<portal port>})
     * @param portalClientSecret the {@code portal} client's secret
     * @param clientCredentials clients of the OAuth 2.0 client-credentials grant, for scripts and
     *     the CLI ({@code keyledger auth token}): {@code client-id}, {@code client-secret} (no
     *     default: none is registered unless configured), {@code roles} (default
     *     {@code platform_admin}) and {@code organization-id}; docs/cli.md
     */
    public record IdentityProvider(
            @DefaultValue("8090") int port,
            String issuer,
            @DefaultValue("1h") Duration tokenLifetime,
            @DefaultValue("keyledger") String audience,

            @DefaultValue({"localhost", "127.0.0.1", "[::1]"})
            List<String> allowedHosts,

            URI portalBaseUrl,
            @DefaultValue("portal-dev-secret") String portalClientSecret,
            List<dev.keyledger.standalone.authserver.ClientCredentialsClient> clientCredentials) {

        public IdentityProvider {
            allowedHosts = List.copyOf(allowedHosts);
            clientCredentials = clientCredentials == null ? List.of() : List.copyOf(clientCredentials);
        }
    }

    /** The demo upstream API the edge proxies to. */
    public record Upstream(@DefaultValue("8099") int port) {}

    /**
     * Overrides for one service; {@code null} ports mean the service's default ports.
     *
     * @param properties extra Spring properties passed to the service, winning over its own file
     */
    public record Service(
            @DefaultValue("true") boolean enabled,
            Integer port,
            Integer managementPort,
            Map<String, String> properties) {

        public Service {
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }
    }
}
