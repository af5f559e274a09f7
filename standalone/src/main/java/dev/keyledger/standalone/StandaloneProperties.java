package dev.keyledger.standalone;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the standalone platform, all under {@code keyledger.standalone}.
 *
 * @param dataDir where PostgreSQL, Kafka and the identity provider keep their state; defaults to
 *     {@code ~/.keyledger/standalone}
 * @param host the loopback address every embedded server binds to and clients connect to
 * @param readinessTimeout how long one service may take to start and report readiness
 * @param services per-service overrides keyed by service name ({@code command-service},
 *     {@code query-service}, {@code auth-edge}); an absent entry means the service's defaults
 */
@ConfigurationProperties("keyledger.standalone")
public record StandaloneProperties(
        Path dataDir,
        @DefaultValue("127.0.0.1") String host,
        @DefaultValue("120s") Duration readinessTimeout,
        @DefaultValue Postgres postgres,
        @DefaultValue Kafka kafka,
        @DefaultValue IdentityProvider idp,
        @DefaultValue Upstream upstream,
        Map<String, Service> services) {

    public StandaloneProperties {
        if (dataDir == null) {
            dataDir = Path.of(System.getProperty("user.home"), ".keyledger", "standalone");
        }
        services = services == null ? Map.of() : Map.copyOf(services);
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
     */
    public record IdentityProvider(
            @DefaultValue("8090") int port,
            String issuer,
            @DefaultValue("1h") Duration tokenLifetime) {}

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
