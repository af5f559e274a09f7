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

    /**
     * Start order: the write side first, the read side that projects its events next, the edge that
     * follows the read side's changelog last. They are named by class so the standalone builds and
     * runs with whichever services its classpath holds.
     */
    public static final List<ServiceDefinition> SERVICES = List.of(
            new ServiceDefinition(
                    "command-service",
                    "dev.keyledger.command.CommandServiceApplication",
                    8081,
                    9081,
                    "keyledger_command",
                    List.of(),
                    infrastructure -> Map.of()),
            new ServiceDefinition(
                    "query-service",
                    "dev.keyledger.query.QueryServiceApplication",
                    8082,
                    9082,
                    "keyledger_query",
                    List.of(AXON),
                    infrastructure -> Map.of()),
            // The edge is reactive (Netty) and has neither a database nor Spring Security; the
            // servlet services bring Tomcat, JDBC, Flyway, Axon and a resource server along.
            new ServiceDefinition(
                    "auth-edge",
                    "dev.keyledger.edge.AuthEdgeApplication",
                    8080,
                    9080,
                    null,
                    List.of(AXON, JDBC, FLYWAY, SECURITY, TOMCAT),
                    infrastructure -> Map.of("keyledger.proxy.upstream", infrastructure.upstreamUrl())));

    private ServiceCatalog() {}

    /** The databases of all services, created in PostgreSQL whether or not the service runs. */
    public static List<String> databases() {
        return SERVICES.stream()
                .filter(ServiceDefinition::hasDatabase)
                .map(ServiceDefinition::database)
                .toList();
    }
}
