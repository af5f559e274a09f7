package dev.keyledger.standalone.services;

import java.util.List;
import java.util.Map;

/** Every Keyledger service, in the order the standalone starts them. */
public final class ServiceCatalog {

    private static final String AXON = "org.axonframework.";
    private static final String JDBC = "org.springframework.boot.jdbc.";
    private static final String FLYWAY = "org.springframework.boot.flyway.";
    private static final String SECURITY = "org.springframework.boot.security.";
    private static final String TOMCAT = "org.springframework.boot.tomcat.";
    private static final String KAFKA = "org.springframework.boot.kafka.";
    private static final String RESOURCE_SERVER = "org.springframework.boot.security.oauth2.server.resource.";
    private static final String OAUTH2_CLIENT = "org.springframework.boot.security.oauth2.client.";
    private static final String AUTHORIZATION_SERVER = "org.springframework.boot.security.oauth2.server.authorization.";
    private static final String THYMELEAF = "org.springframework.boot.thymeleaf.";

    /** The portal's service name, also its entry under {@code keyledger.standalone.services}. */
    public static final String PORTAL = "portal";

    /**
     * The portal's client secret at the standalone's identity provider. A fixed development value:
     * that provider signs anyone in without a password and answers on loopback only.
     */
    public static final String PORTAL_CLIENT_SECRET = "portal-dev-secret";

    /**
     * Start order: the write side first, the read side that projects its events next, the edge that
     * follows the read side's changelog, then the portal in front of them all. They are named by
     * class so the standalone builds and runs with whichever services its classpath holds.
     */
    public static final List<ServiceDefinition> SERVICES = List.of(
            new ServiceDefinition(
                    "command-service",
                    "dev.keyledger.command.CommandServiceApplication",
                    8081,
                    9081,
                    "keyledger_command",
                    List.of(OAUTH2_CLIENT, AUTHORIZATION_SERVER, THYMELEAF),
                    infrastructure -> Map.of()),
            new ServiceDefinition(
                    "query-service",
                    "dev.keyledger.query.QueryServiceApplication",
                    8082,
                    9082,
                    "keyledger_query",
                    List.of(AXON, OAUTH2_CLIENT, AUTHORIZATION_SERVER, THYMELEAF),
                    // The audit checkpoints' signing key: made on the first start in the service's
                    // data directory and kept there (docs/audit.md, "Signing keys").
                    infrastructure -> Map.of(
                            "keyledger.audit.signing.key-id",
                            "standalone",
                            "keyledger.audit.signing.pem-file",
                            "${keyledger.data-dir}/audit-signing-key.pem",
                            "keyledger.audit.signing.generate-if-missing",
                            "true")),
            // The edge is reactive (Netty) and has neither a database nor Spring Security; the
            // servlet services bring Tomcat, JDBC, Flyway, Axon and a resource server along.
            new ServiceDefinition(
                    "auth-edge",
                    "dev.keyledger.edge.AuthEdgeApplication",
                    8080,
                    9080,
                    null,
                    List.of(AXON, JDBC, FLYWAY, SECURITY, TOMCAT, THYMELEAF),
                    infrastructure -> Map.of("keyledger.proxy.upstream", infrastructure.upstreamUrl())),
            // The portal keeps no state of its own: a web application signing in at the identity
            // provider and calling the two APIs.
            new ServiceDefinition(
                    PORTAL,
                    "dev.keyledger.portal.PortalApplication",
                    8083,
                    9083,
                    null,
                    List.of(AXON, JDBC, FLYWAY, KAFKA, RESOURCE_SERVER, AUTHORIZATION_SERVER),
                    infrastructure -> Map.of(
                            "spring.security.oauth2.client.provider.keyledger.issuer-uri",
                            infrastructure.issuer(),
                            "spring.security.oauth2.client.registration.keyledger.client-secret",
                            PORTAL_CLIENT_SECRET,
                            "keyledger.portal.base-url",
                            infrastructure.serviceUrl(PORTAL, "http://127.0.0.1:8083"),
                            "keyledger.portal.command-url",
                            infrastructure.serviceUrl("command-service", "http://127.0.0.1:8081"),
                            "keyledger.portal.query-url",
                            infrastructure.serviceUrl("query-service", "http://127.0.0.1:8082"),
                            "keyledger.portal.edge-url",
                            infrastructure.serviceUrl("auth-edge", "http://127.0.0.1:8080"))));

    private ServiceCatalog() {}

    /** The databases of all services, created in PostgreSQL whether or not the service runs. */
    public static List<String> databases() {
        return SERVICES.stream()
                .filter(ServiceDefinition::hasDatabase)
                .map(ServiceDefinition::database)
                .toList();
    }
}
