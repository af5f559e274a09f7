package dev.keyledger.servicekit.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the APIs check in a bearer JWT beyond Boot's {@code spring.security.oauth2.resourceserver.jwt.*}
 * (where the keys come from, {@code audiences}, {@code jws-algorithms}), all under
 * {@code keyledger.security}.
 *
 * @param issuer the {@code iss} every token must carry; required unless {@code issuer-uri} is set
 *     (then that is the issuer). Checked even when keys come from a JWKS URI or a public key, where
 *     Boot alone would not check it
 * @param clockSkew how far {@code exp} and {@code nbf} may be off; at most 60 s, because Boot's
 *     default validator already allows that much and runs as well
 * @param organizationClaim claim holding the caller's organization id
 * @param rolesClaim claim holding the caller's roles, a list or a space- or comma-separated string
 * @param verifiedTokenTtl how long a verified token skips the signature check ({@code 0} turns the
 *     cache off); never longer than the token's own {@code exp}, and kept below Nimbus' JWKS cache
 *     lifetime (5 minutes) so a key withdrawn from the JWKS is not honoured for longer than it
 *     already is
 * @param verifiedTokenCacheSize verified tokens remembered at most
 */
@ConfigurationProperties("keyledger.security")
public record ResourceServerSettings(
        String issuer,
        @DefaultValue("30s") Duration clockSkew,
        @DefaultValue("organization_id") String organizationClaim,
        @DefaultValue("roles") String rolesClaim,
        @DefaultValue("60s") Duration verifiedTokenTtl,
        @DefaultValue("4096") int verifiedTokenCacheSize) {

    static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);

    public ResourceServerSettings {
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("keyledger.security.clock-skew must be between 0s and 60s");
        }
        if (verifiedTokenTtl.isNegative() || verifiedTokenTtl.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException(
                    "keyledger.security.verified-token-ttl must be between 0s and 5m (the JWKS cache lifetime)");
        }
        if (verifiedTokenCacheSize < 0) {
            throw new IllegalArgumentException("keyledger.security.verified-token-cache-size must not be negative");
        }
    }
}
