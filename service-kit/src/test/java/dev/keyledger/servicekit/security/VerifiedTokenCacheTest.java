package dev.keyledger.servicekit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class VerifiedTokenCacheTest {

    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final Clock clock = Clock.fixed(start, ZoneOffset.UTC);
    private final AtomicInteger decodes = new AtomicInteger();

    /** Decodes "good-<seconds until exp>" tokens and refuses everything else. */
    private final JwtDecoder decoder = token -> {
        decodes.incrementAndGet();
        if (!token.startsWith("good-")) {
            throw new BadJwtException("bad token");
        }
        long lifetime = Long.parseLong(token.substring(5));
        return Jwt.withTokenValue(token)
                .header("alg", "RS256")
                .subject("alice")
                .issuedAt(start)
                .expiresAt(start.plusSeconds(lifetime))
                .build();
    };

    private VerifiedTokenCache cache(int size) {
        return new VerifiedTokenCache(decoder, Duration.ofSeconds(60), size, clock, ticker);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void aRepeatedTokenIsVerifiedOncePerTtl() {
        VerifiedTokenCache cache = cache(10);
        assertThat(cache.decode("good-3600").getSubject()).isEqualTo("alice");
        cache.decode("good-3600");
        cache.decode("good-3600");
        assertThat(decodes).hasValue(1);

        advance(Duration.ofSeconds(61));
        cache.decode("good-3600");
        assertThat(decodes).hasValue(2);
    }

    @Test
    void anEntryNeverOutlivesItsTokensExpiry() {
        VerifiedTokenCache cache = cache(10);
        cache.decode("good-10");
        advance(Duration.ofSeconds(9));
        cache.decode("good-10");
        assertThat(decodes).hasValue(1);

        advance(Duration.ofSeconds(2));
        cache.decode("good-10");
        assertThat(decodes).as("past exp the full decoder runs again").hasValue(2);
    }

    @Test
    void refusedTokensAreNotRemembered() {
        VerifiedTokenCache cache = cache(10);
        assertThatThrownBy(() -> cache.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThat(decodes).hasValue(2);
    }

    @Test
    void theCacheIsBounded() {
        VerifiedTokenCache cache = cache(10);
        for (int i = 0; i < 100; i++) {
            cache.decode("good-" + (3600 + i));
        }
        assertThat(cache.size()).isLessThanOrEqualTo(10);
    }
}
