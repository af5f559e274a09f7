package dev.keyledger.standalone.services;

/**
 * Where the embedded infrastructure answers, for services to be pointed at it.
 *
 * @param jdbcUrlPrefix {@code jdbc:postgresql://host:port/}, to be followed by a database name
 */
public record Infrastructure(
        String jdbcUrlPrefix,
        String databaseUsername,
        String databasePassword,
        String kafkaBootstrapServers,
        String jwkSetUri,
        String upstreamUrl) {}
