package dev.keyledger.command.security;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers tokens whose signature has been verified, so that a client calling repeatedly with
 * the same token costs one RSA verification per TTL instead of one per request (the verification,
 * the JWK to public key conversion and the claim parsing were the largest share of CPU per key
 * issued, docs/benchmarks-issuance.md). The key is the whole compact token, signature included, so
 * a hit is a token byte for byte identical to one already verified. The validator (expiry, not
 * before, issuer) still runs on every hit; a hit it rejects goes through the full decoder, which
 * throws the usual error. The TTL stays below Nimbus' JWKS cache lifetime, so a key removed from
 * the JWKS is not honoured for longer than it already is. Thread-safe; when full, it is emptied.
 */
final class VerifiedTokenCache implements JwtDecoder {

    private record Entry(Jwt jwt, long verifiedUntilNanos) {}

    private final JwtDecoder decoder;
    private final OAuth2TokenValidator<Jwt> validator;
    private final long ttlNanos;
    private final int maxEntries;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    VerifiedTokenCache(JwtDecoder decoder, OAuth2TokenValidator<Jwt> validator, Duration ttl, int maxEntries) {
        this.decoder = decoder;
        this.validator = validator;
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        long now = System.nanoTime();
        Entry entry = entries.get(token);
        if (entry != null) {
            if (now - entry.verifiedUntilNanos() < 0
                    && !validator.validate(entry.jwt()).hasErrors()) {
                return entry.jwt();
            }
            entries.remove(token, entry);
        }
        Jwt jwt = decoder.decode(token);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(token, new Entry(jwt, now + ttlNanos));
        return jwt;
    }
}
