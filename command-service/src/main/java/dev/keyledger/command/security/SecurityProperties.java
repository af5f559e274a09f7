package dev.keyledger.command.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Claim names of the identity provider's tokens, and the cache of verified tokens.
 *
 * @param organizationClaim claim holding the caller's organization id
 * @param rolesClaim claim holding the caller's roles, a list or a space-separated string
 * @param verifiedTokenTtl how long a verified token skips the signature check ({@code 0} turns the
 *     cache off); keep it below the JWKS cache lifetime (5 minutes)
 * @param verifiedTokenCacheSize verified tokens remembered at most
 */
@ConfigurationProperties("keyledger.security")
record SecurityProperties(
        @DefaultValue("organization_id") String organizationClaim,
        @DefaultValue("roles") String rolesClaim,
        @DefaultValue("60s") Duration verifiedTokenTtl,
        @DefaultValue("4096") int verifiedTokenCacheSize) {}
