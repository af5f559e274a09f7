package dev.keyledger.command.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyledger.command.support.TestJwts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

class VerifiedTokenCacheTest {

    private final MovableClock clock = new MovableClock(Instant.now());
    private final AtomicInteger verifications = new AtomicInteger();
    private JwtTimestampValidator validator;
    private JwtDecoder counting;
    private VerifiedTokenCache cache;

    @BeforeEach
    void setUp() throws IOException {
        validator = new JwtTimestampValidator(Duration.ZERO);
        validator.setClock(clock);
        NimbusJwtDecoder nimbus = NimbusJwtDecoder.withPublicKey(publicKey()).build();
        nimbus.setJwtValidator(validator);
        counting = token -> {
            verifications.incrementAndGet();
            return nimbus.decode(token);
        };
        cache = new VerifiedTokenCache(counting, validator, Duration.ofSeconds(60), 16);
    }

    @Test
    void verifiesARepeatedTokenOnce() {
        String token = TestJwts.token("alice", "org_1", TestJwts.ORG_ADMIN);

        Jwt first = cache.decode(token);
        Jwt second = cache.decode(token);

        assertThat(second.getSubject()).isEqualTo("alice");
        assertThat(second).isSameAs(first);
        assertThat(verifications).hasValue(1);
    }

    @Test
    void verifiesAgainOnceTheTtlHasPassed() {
        String token = TestJwts.token("alice", "org_1", TestJwts.ORG_ADMIN);
        VerifiedTokenCache alreadyStale = new VerifiedTokenCache(counting, validator, Duration.ofNanos(-1), 16);

        alreadyStale.decode(token);
        alreadyStale.decode(token);

        assertThat(verifications).hasValue(2);
    }

    @Test
    void rejectsACachedTokenOnceItHasExpired() {
        String token = TestJwts.token("alice", "org_1", TestJwts.ORG_ADMIN);
        cache.decode(token);

        clock.advance(Duration.ofHours(2));

        assertThatThrownBy(() -> cache.decode(token)).isInstanceOf(JwtValidationException.class);
    }

    @Test
    void neverRemembersATokenThatFailed() {
        String foreign = TestJwts.foreignToken("mallory", "org_1", TestJwts.ORG_ADMIN);

        assertThatThrownBy(() -> cache.decode(foreign)).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode(foreign)).isInstanceOf(BadJwtException.class);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void startsOverWhenFull() {
        for (int i = 0; i < 20; i++) {
            cache.decode(TestJwts.token("user" + i, "org_1", TestJwts.ORG_ADMIN));
        }
        String token = TestJwts.token("alice", "org_1", TestJwts.ORG_ADMIN);
        cache.decode(token);
        cache.decode(token);

        assertThat(verifications).hasValue(21);
    }

    private static RSAPublicKey publicKey() throws IOException {
        try (InputStream in = Files.newInputStream(TestJwts.publicKeyPem())) {
            return RsaKeyConverters.x509().convert(in);
        }
    }

    private static final class MovableClock extends Clock {

        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
