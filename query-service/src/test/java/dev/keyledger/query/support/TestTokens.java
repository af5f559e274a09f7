package dev.keyledger.query.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.keyledger.servicekit.testing.HostileTokens;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A test identity provider: an RSA key, its JWKS served over HTTP on a random loopback port, and
 * RS256 tokens signed with it. The service verifies them exactly as it verifies a real issuer's.
 */
public final class TestTokens {

    /** The {@code iss} and {@code aud} of every test token, enforced by the service as in production. */
    public static final String ISSUER = "https://issuer.test.keyledger.dev";

    public static final String AUDIENCE = "keyledger-test";

    private static final RSAKey KEY = generate("test-key");
    private static final RSAKey FOREIGN_KEY = generate("test-key");
    private static volatile String jwksUri;

    private TestTokens() {}

    public static synchronized String jwksUri() {
        if (jwksUri == null) {
            try {
                byte[] body = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/jwks.json", exchange -> {
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0), "test-jwks-stop"));
                jwksUri = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return jwksUri;
    }

    public static String member(String organizationId) {
        return token(
                "alice",
                organizationId,
                List.of("org_member"),
                KEY,
                Instant.now().plusSeconds(600));
    }

    public static String admin(String organizationId) {
        return token(
                "bob", organizationId, List.of("org_admin"), KEY, Instant.now().plusSeconds(600));
    }

    public static String platformAdmin() {
        return token("root", null, List.of("platform_admin"), KEY, Instant.now().plusSeconds(600));
    }

    public static String expired(String organizationId) {
        return token(
                "alice",
                organizationId,
                List.of("org_member"),
                KEY,
                Instant.now().minusSeconds(600));
    }

    /** Same key id, another key: the signature does not verify. */
    public static String forged(String organizationId) {
        return token(
                "mallory",
                organizationId,
                List.of("org_admin"),
                FOREIGN_KEY,
                Instant.now().plusSeconds(600));
    }

    public static String withRoles(String organizationId, List<String> roles) {
        return token("carol", organizationId, roles, KEY, Instant.now().plusSeconds(600));
    }

    /** Tokens with one flaw each, around the key, issuer and audience the service trusts. */
    public static HostileTokens hostile() {
        return new HostileTokens(KEY, ISSUER, AUDIENCE);
    }

    private static String token(String subject, String organizationId, List<String> roles, RSAKey key, Instant expiry) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .issueTime(Date.from(Instant.now().minusSeconds(60)))
                .expirationTime(Date.from(expiry))
                .claim("roles", roles);
        if (organizationId != null) {
            claims.claim("organization_id", organizationId);
        }
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .build(),
                    claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey generate(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
