package dev.keyledger.contracts.audit;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 with the JDK's own provider ({@code "Ed25519"}, JEP 339): signing, verifying, and the
 * encodings the audit export uses (raw 32-byte public keys for JWKs, PKCS#8 and X.509 PEM files).
 * Stateless and thread safe.
 */
public final class Ed25519 {

    public static final String ALGORITHM = "Ed25519";

    // DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 raw key bytes follow.
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

    private Ed25519() {}

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    /** The base64url (no padding) Ed25519 signature of {@code message}. */
    public static String sign(PrivateKey key, byte[] message) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(message);
            return BASE64URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} (base64url, no padding) is {@code key}'s Ed25519 signature of {@code message}. */
    public static boolean verify(PublicKey key, byte[] message, String signature) {
        if (signature == null || signature.length() != 86 || signature.indexOf('=') >= 0) {
            return false;
        }
        byte[] raw;
        try {
            raw = BASE64URL_DECODER.decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(raw);
        } catch (SignatureException | InvalidKeyException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    /** The 32 raw bytes of a public key (RFC 8032 encoding), the JWK's {@code x}. */
    public static byte[] rawPublicKey(PublicKey key) {
        if (!(key instanceof EdECPublicKey)) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        byte[] encoded = key.getEncoded();
        if (encoded.length != X509_PREFIX.length + 32
                || !Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
    }

    /** The public key of 32 raw bytes. */
    public static PublicKey publicKey(byte[] raw) {
        if (raw.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + raw.length);
        }
        byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
        System.arraycopy(raw, 0, encoded, X509_PREFIX.length, 32);
        return publicKeyFromX509(encoded);
    }

    static PublicKey publicKeyFromX509(byte[] der) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    static PrivateKey privateKeyFromPkcs8(byte[] der) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key (PKCS#8)", e);
        }
    }

    /**
     * The key pair of a private key. The JDK has no public call that derives an Ed25519 public
     * key, but its key-pair generator takes the 32-byte private key from the random source it is
     * given (RFC 8032, 5.1.5); feeding it the private key yields the pair, which is then checked
     * to hold exactly that private key.
     */
    public static KeyPair keyPair(PrivateKey privateKey) {
        if (!(privateKey instanceof EdECPrivateKey ed)
                || !"Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
            throw new IllegalArgumentException("not an Ed25519 private key");
        }
        byte[] seed = ed.getBytes().orElseThrow(() -> new IllegalArgumentException("the private key has no bytes"));
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
            KeyPair pair = generator.generateKeyPair();
            byte[] derived = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
            if (!Arrays.equals(derived, seed)) {
                throw new IllegalStateException("could not derive the public key of an Ed25519 private key");
            }
            Arrays.fill(derived, (byte) 0);
            return new KeyPair(pair.getPublic(), privateKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** DER of a PKCS#8 v1 Ed25519 private key, for writing a PEM file. */
    static byte[] pkcs8(PrivateKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new IllegalArgumentException("the private key cannot be exported");
        }
        return encoded;
    }

    /** A random source that returns given bytes once, for {@link #keyPair(PrivateKey)}. */
    private static final class FixedBytes extends SecureRandom {
        private final byte[] bytes;
        private boolean used;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            if (used || out.length != bytes.length) {
                throw new IllegalStateException("unexpected use of the key derivation's random source");
            }
            used = true;
            System.arraycopy(bytes, 0, out, 0, out.length);
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
