package dev.keyledger.command.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Claim names of the identity provider's tokens.
 *
 * @param organizationClaim claim holding the caller's organization id
 * @param rolesClaim claim holding the caller's roles, a list or a space-separated string
 */
@ConfigurationProperties("keyledger.security")
record SecurityProperties(
        @DefaultValue("organization_id") String organizationClaim,
        @DefaultValue("roles") String rolesClaim) {}
