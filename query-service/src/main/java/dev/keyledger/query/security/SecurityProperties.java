package dev.keyledger.query.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** JWT claim names; the issuer or JWKS location is Spring's {@code spring.security.oauth2.resourceserver.jwt.*}. */
@ConfigurationProperties("keyledger.security")
record SecurityProperties(String organizationClaim, String rolesClaim) {

    SecurityProperties {
        organizationClaim = organizationClaim == null ? "organization_id" : organizationClaim;
        rolesClaim = rolesClaim == null ? "roles" : rolesClaim;
    }
}
