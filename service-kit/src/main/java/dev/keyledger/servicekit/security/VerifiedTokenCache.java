package dev.keyledger.servicekit.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers tokens whose signature and claims have been verified, so that a client calling
 * repeatedly with the same token costs one RSA verification per TTL instead of one per request (the
 * verification, the JWK conversion and the claim parsing were the largest share of CPU per key
 * issued, docs/benchmarks-issuance.md). Entries are keyed by the SHA-256 of the whole compact token,
 * signature included, so a hit is a token byte for byte identical to one already verified, and the
 * token itself is not kept as a key. An entry lives for the TTL after it is written, but never past
 * the token's {@code exp}: issuer, audience and not-before cannot change for the same bytes, so
 * expiry is the one check a hit would otherwise skip. Failures are not cached. Bounded (Caffeine,
 * size-based eviction) and thread safe.
 */
final class VerifiedTokenCache implements JwtDecoder {

    private final JwtDecoder decoder;
    private final Cache<String, Jwt> verified;

    VerifiedTokenCache(JwtDecoder decoder, Duration ttl, int maximumSize, Clock clock, Ticker ticker) {
        this.decoder = decoder;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(ticker)
                // Maintenance (eviction) on the calling thread: a few map operations, no pool hop.
                .executor(Runnable::run)
                .expireAfter(Expiry.<String, Jwt>creating((hash, jwt) -> lifetime(jwt, ttl, clock)))
                .build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        String hash = sha256(token);
        Jwt jwt = verified.getIfPresent(hash);
        if (jwt == null) {
            jwt = decoder.decode(token);
            verified.put(hash, jwt);
        }
        return jwt;
    }

    /** Entries held now, after pending evictions. */
    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private static Duration lifetime(Jwt jwt, Duration ttl, Clock clock) {
        Instant expiresAt = jwt.getExpiresAt();
        if (expiresAt == null) {
            return ttl;
        }
        Duration left = Duration.between(clock.instant(), expiresAt);
        return left.isNegative() ? Duration.ZERO : (left.compareTo(ttl) < 0 ? left : ttl);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
