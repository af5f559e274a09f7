package dev.keyledger.command.apikey;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Key expiry and revoke-all settings.
 *
 * @param expiryPollInterval how often due expiries are looked for; the worst-case delay of an expiry
 * @param expiryBatchSize most expiries sent per poll
 * @param revokeAllBatchSize keys revoked per unit of work (one transaction) by revoke-all and by a
 *     database deletion
 */
@ConfigurationProperties("keyledger.api-key")
record ApiKeyProperties(
        @DefaultValue("1s") Duration expiryPollInterval,
        @DefaultValue("100") int expiryBatchSize,
        @DefaultValue("500") int revokeAllBatchSize) {

    ApiKeyProperties {
        if (revokeAllBatchSize < 1) {
            throw new IllegalArgumentException("keyledger.api-key.revoke-all-batch-size must be at least 1");
        }
    }
}
