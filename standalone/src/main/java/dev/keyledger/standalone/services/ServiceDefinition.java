package dev.keyledger.standalone.services;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One service the standalone can run.
 *
 * @param name the service name, also the key of its overrides under {@code keyledger.standalone.services}
 * @param applicationClass the {@code <Service>Application} class with a static {@code builder()}
 * @param port the default API port
 * @param managementPort the default management (actuator) port
 * @param database its PostgreSQL database, or {@code null} when it keeps no state there
 * @param foreignAutoConfigurations package prefixes of auto-configurations that other services
 *     bring onto the shared classpath and that this service must not pick up (it would, say, get
 *     an Axon event store or a DataSource it never asked for)
 * @param extraProperties settings only this service needs, derived from the infrastructure
 */
public record ServiceDefinition(
        String name,
        String applicationClass,
        int port,
        int managementPort,
        String database,
        List<String> foreignAutoConfigurations,
        Function<Infrastructure, Map<String, String>> extraProperties) {

    public ServiceDefinition {
        foreignAutoConfigurations = List.copyOf(foreignAutoConfigurations);
    }

    public boolean hasDatabase() {
        return database != null;
    }
}
