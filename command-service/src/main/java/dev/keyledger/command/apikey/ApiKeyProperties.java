package dev.keyledger.command.apikey;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Key expiry settings.
 *
 * @param expiryPollInterval how often due expiries are looked for; the worst-case delay of an expiry
 * @param expiryBatchSize most expiries sent per poll
 */
@ConfigurationProperties("keyledger.api-key")
record ApiKeyProperties(
        @DefaultValue("1s") Duration expiryPollInterval,
        @DefaultValue("100") int expiryBatchSize) {}
