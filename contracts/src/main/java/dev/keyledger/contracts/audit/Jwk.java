package dev.keyledger.contracts.audit;

import java.security.PublicKey;

/** One public Ed25519 key of the JWK set ({@code kty: OKP, crv: Ed25519, x, kid}). */
public record Jwk(String kid, PublicKey publicKey) {

    public Jwk {
        SigningKey.requireKeyId(kid);
        Ed25519.rawPublicKey(publicKey); // an Ed25519 key, or IllegalArgumentException
    }
}
