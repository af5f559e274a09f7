package dev.keyledger.query.activekeys;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the {@code keyledger.active-keys} changelog: how the topic is created when it does
 * not exist yet.
 */
@ConfigurationProperties("keyledger.active-keys")
record ActiveKeysProperties(Integer partitions, Short replicationFactor) {

    ActiveKeysProperties {
        partitions = partitions == null ? 3 : partitions;
        replicationFactor = replicationFactor == null ? 1 : replicationFactor;
    }
}
