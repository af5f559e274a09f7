package dev.keyledger.command.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.keyledger.servicekit.testing.HostileTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Real RS256 tokens for tests: one RSA key pair per JVM, its public key in a temporary PEM file
 * that Spring's resource server reads through {@code public-key-location}, so every request in a
 * test goes through the real signature check.
 */
public final class TestJwts {

    public static final String PLATFORM_ADMIN = "platform_admin";
    public static final String ORG_ADMIN = "org_admin";
    public static final String ORG_MEMBER = "org_member";

    /** The {@code iss} and {@code aud} of every test token, enforced by the service as in production. */
    public static final String ISSUER = "https://issuer.test.keyledger.dev";

    public static final String AUDIENCE = "keyledger-test";

    private static final KeyPair KEY_PAIR = newKeyPair();
    private static final KeyPair FOREIGN_KEY_PAIR = newKeyPair();
    private static final Path PUBLIC_KEY_PEM = writePublicKeyPem();

    private TestJwts() {}

    /** The PEM file holding the public key every token of {@link #token} verifies against. */
    public static Path publicKeyPem() {
        return PUBLIC_KEY_PEM;
    }

    /** Points the resource server at the test key, issuer and audience instead of a JWKS URI. */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("keyledger.security.issuer", () -> ISSUER);
        registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> AUDIENCE);
        registry.add(
                "spring.security.oauth2.resourceserver.jwt.public-key-location",
                () -> "file:" + PUBLIC_KEY_PEM.toAbsolutePath());
    }

    /** A valid token for one hour; {@code organizationId} may be {@code null} (platform admins). */
    public static String token(String subject, String organizationId, String... roles) {
        return sign(KEY_PAIR, claims(subject, organizationId, Instant.now().plus(Duration.ofHours(1)), roles));
    }

    /** A token that expired a minute ago, correctly signed. */
    public static String expiredToken(String subject, String organizationId, String... roles) {
        return sign(KEY_PAIR, claims(subject, organizationId, Instant.now().minus(Duration.ofMinutes(10)), roles));
    }

    /** A well-formed token signed by a key the service does not trust. */
    public static String foreignToken(String subject, String organizationId, String... roles) {
        return sign(
                FOREIGN_KEY_PAIR, claims(subject, organizationId, Instant.now().plus(Duration.ofHours(1)), roles));
    }

    /** Tokens with one flaw each, around the key, issuer and audience the service trusts. */
    public static HostileTokens hostile() {
        RSAKey key = new RSAKey.Builder((RSAPublicKey) KEY_PAIR.getPublic())
                .privateKey((RSAPrivateKey) KEY_PAIR.getPrivate())
                .keyID("test")
                .build();
        return new HostileTokens(key, ISSUER, AUDIENCE);
    }

    private static JWTClaimsSet claims(String subject, String organizationId, Instant expiresAt, String... roles) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(expiresAt.minus(Duration.ofHours(1))))
                .expirationTime(Date.from(expiresAt))
                .claim("roles", List.of(roles));
        if (organizationId != null) {
            claims.claim("organization_id", organizationId);
        }
        return claims.build();
    }

    private static String sign(KeyPair keyPair, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("test").build(), claims);
            jwt.sign(new RSASSASigner((RSAPrivateKey) keyPair.getPrivate()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is required by every Java platform", e);
        }
    }

    private static Path writePublicKeyPem() {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(KEY_PAIR.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        try {
            Path file = Files.createTempFile("keyledger-test-jwt", ".pem");
            file.toFile().deleteOnExit();
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
