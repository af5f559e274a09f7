package dev.keyledger.servicekit.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Tokens every API must refuse with 401 INVALID_TOKEN, built around the key, issuer and audience a
 * service under test trusts, so that each differs from an accepted token in one respect only. Shared
 * by the command-service's and the query-service's tests (service-kit test jar).
 *
 * @param key the RSA key the service trusts (private part included)
 * @param issuer the {@code iss} the service expects
 * @param audience the {@code aud} the service expects
 */
public record HostileTokens(RSAKey key, String issuer, String audience) {

    /** One refused token and what is wrong with it, for parameterized tests. */
    public record Case(String name, String token) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A token the service accepts: platform_admin, valid for ten minutes. */
    public String valid() {
        return rs256(claims(UnaryOperator.identity()));
    }

    /** A valid token that expired {@code ago} ago, to probe the clock skew. */
    public String expiredAgo(Duration ago) {
        Instant now = Instant.now();
        return rs256(claims(c ->
                c.issueTime(Date.from(now.minus(ago).minusSeconds(600))).expirationTime(Date.from(now.minus(ago)))));
    }

    /** Every case of issue 9 item 5, each a correctly formed token with one flaw. */
    public List<Case> all() {
        Instant now = Instant.now();
        return List.of(
                new Case("alg none (unsigned)", new PlainJWT(claims(UnaryOperator.identity())).serialize()),
                new Case("HS256 signed with the public JWK as secret", hs256(publicJwkBytes())),
                new Case("HS256 signed with the public key's X.509 bytes as secret", hs256(publicKeyX509Bytes())),
                new Case("wrong issuer", rs256(claims(c -> c.issuer(issuer + "/other")))),
                new Case("no issuer", rs256(claims(c -> c.issuer(null)))),
                new Case("wrong audience", rs256(claims(c -> c.audience("some-other-api")))),
                new Case("no audience", rs256(claims(c -> c.audience((String) null)))),
                new Case("expired ten minutes ago", expiredAgo(Duration.ofMinutes(10))),
                new Case("expired 45 s ago (beyond the 30 s skew)", expiredAgo(Duration.ofSeconds(45))),
                new Case(
                        "not valid before five minutes from now",
                        rs256(claims(c -> c.notBeforeTime(Date.from(now.plus(Duration.ofMinutes(5))))))),
                new Case("no expiry", rs256(claims(c -> c.expirationTime(null)))),
                new Case("missing sub", rs256(claims(c -> c.subject(null)))),
                new Case("blank sub", rs256(claims(c -> c.subject(" ")))));
    }

    private JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject("hostile-test")
                .issueTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
                .claim("roles", List.of("platform_admin"));
        return change.apply(claims).build();
    }

    private String rs256(JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.RS256, new RSASSASigner(key), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String hs256(byte[] secret) {
        try {
            return sign(JWSAlgorithm.HS256, new MACSigner(secret), claims(UnaryOperator.identity()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String sign(JWSAlgorithm algorithm, JWSSigner signer, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private byte[] publicKeyX509Bytes() {
        try {
            return key.toPublicKey().getEncoded();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] publicJwkBytes() {
        return key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
    }
}
