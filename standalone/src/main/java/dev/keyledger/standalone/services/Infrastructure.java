package dev.keyledger.standalone.services;

import java.util.Map;

/**
 * Where the embedded infrastructure answers, for services to be pointed at it.
 *
 * @param jdbcUrlPrefix {@code jdbc:postgresql://host:port/}, to be followed by a database name
 * @param issuer the identity provider's issuer URL (also where its discovery document lives)
 * @param serviceUrls the base URL of every service by name, as the standalone runs them
 */
public record Infrastructure(
        String jdbcUrlPrefix,
        String databaseUsername,
        String databasePassword,
        String kafkaBootstrapServers,
        String jwkSetUri,
        String upstreamUrl,
        String issuer,
        Map<String, String> serviceUrls) {

    public Infrastructure {
        serviceUrls = Map.copyOf(serviceUrls);
    }

    /** Without service URLs; the issuer is where the JWKS lives. */
    public Infrastructure(
            String jdbcUrlPrefix,
            String databaseUsername,
            String databasePassword,
            String kafkaBootstrapServers,
            String jwkSetUri,
            String upstreamUrl) {
        this(
                jdbcUrlPrefix,
                databaseUsername,
                databasePassword,
                kafkaBootstrapServers,
                jwkSetUri,
                upstreamUrl,
                jwkSetUri.replaceFirst("/\\.well-known/jwks\\.json$", ""),
                Map.of());
    }

    /** The base URL of the service {@code name}, or {@code fallback} when it is not known. */
    public String serviceUrl(String name, String fallback) {
        return serviceUrls.getOrDefault(name, fallback);
    }
}
