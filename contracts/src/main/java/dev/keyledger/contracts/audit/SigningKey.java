package dev.keyledger.contracts.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Ed25519 key that signs audit checkpoints, named by its {@code keyId} (the checkpoint's
 * {@code key_id} and the JWK's {@code kid}). Read from a PKCS#8 PEM file ({@code PRIVATE KEY},
 * optionally followed by its {@code PUBLIC KEY}, which must then match) or a PKCS#12 keystore
 * entry. {@link #toString()} never shows private material. Immutable and thread safe.
 */
public record SigningKey(String keyId, PrivateKey privateKey, PublicKey publicKey) {

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+?)-----END \\1-----");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public SigningKey {
        requireKeyId(keyId);
        if (privateKey == null || publicKey == null) {
            throw new IllegalArgumentException("a signing key needs its private and public key");
        }
    }

    /** A new random key. */
    public static SigningKey generate(String keyId) {
        KeyPair pair = Ed25519.generate();
        return new SigningKey(keyId, pair.getPrivate(), pair.getPublic());
    }

    /** The signature (base64url, no padding) of {@code message}. */
    public String sign(byte[] message) {
        return Ed25519.sign(privateKey, message);
    }

    /** The public half, as the JWK set lists it. */
    public Jwk jwk() {
        return new Jwk(keyId, publicKey);
    }

    /** Reads a PEM text with a {@code PRIVATE KEY} block (PKCS#8) and optionally its {@code PUBLIC KEY}. */
    public static SigningKey fromPem(String keyId, String pem) {
        PrivateKey privateKey = null;
        PublicKey declaredPublic = null;
        Matcher block = PEM_BLOCK.matcher(pem);
        while (block.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(block.group(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a PEM block of the signing key is not base64");
            }
            switch (block.group(1)) {
                case "PRIVATE KEY" -> {
                    if (privateKey != null) {
                        throw new IllegalArgumentException("the PEM file holds more than one private key");
                    }
                    privateKey = Ed25519.privateKeyFromPkcs8(der);
                }
                case "PUBLIC KEY" -> declaredPublic = Ed25519.publicKeyFromX509(der);
                default ->
                    throw new IllegalArgumentException(
                            "unexpected PEM block " + block.group(1) + " (only an unencrypted PKCS#8 PRIVATE KEY)");
            }
        }
        if (privateKey == null) {
            throw new IllegalArgumentException("no PKCS#8 PRIVATE KEY block in the PEM file");
        }
        KeyPair pair = Ed25519.keyPair(privateKey);
        if (declaredPublic != null
                && !java.util.Arrays.equals(
                        Ed25519.rawPublicKey(declaredPublic), Ed25519.rawPublicKey(pair.getPublic()))) {
            throw new IllegalArgumentException("the PUBLIC KEY block does not belong to the PRIVATE KEY");
        }
        return new SigningKey(keyId, privateKey, pair.getPublic());
    }

    public static SigningKey fromPemFile(String keyId, Path file) throws IOException {
        return fromPem(keyId, Files.readString(file, StandardCharsets.US_ASCII));
    }

    /**
     * Reads the entry {@code alias} of a PKCS#12 keystore: its private key and the public key of
     * its certificate.
     */
    public static SigningKey fromPkcs12(
            String keyId, InputStream keystore, char[] storePassword, String alias, char[] keyPassword)
            throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(keystore, storePassword);
            Key key = store.getKey(alias, keyPassword == null ? storePassword : keyPassword);
            Certificate certificate = store.getCertificate(alias);
            if (!(key instanceof PrivateKey privateKey) || certificate == null) {
                throw new IllegalArgumentException("the keystore has no private key entry " + alias);
            }
            KeyPair pair = Ed25519.keyPair(privateKey);
            if (!java.util.Arrays.equals(
                    Ed25519.rawPublicKey(certificate.getPublicKey()), Ed25519.rawPublicKey(pair.getPublic()))) {
                throw new IllegalArgumentException("the certificate of " + alias + " does not match its key");
            }
            return new SigningKey(keyId, privateKey, pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the signing key from the keystore: " + e.getMessage(), e);
        }
    }

    /** The key as a PEM text: its PKCS#8 PRIVATE KEY, then its PUBLIC KEY. */
    public String toPem() {
        return pem("PRIVATE KEY", privateKey.getEncoded()) + pem("PUBLIC KEY", publicKey.getEncoded());
    }

    /** Reads the {@code PUBLIC KEY} blocks of a PEM text (a retired key's public half). */
    public static List<PublicKey> publicKeysFromPem(String pem) {
        List<PublicKey> keys = new ArrayList<>();
        Matcher block = PEM_BLOCK.matcher(pem);
        while (block.find()) {
            if ("PUBLIC KEY".equals(block.group(1))) {
                keys.add(Ed25519.publicKeyFromX509(Base64.getMimeDecoder().decode(block.group(2))));
            }
        }
        return keys;
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    static String requireKeyId(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("a key id is 1 to 128 characters of A-Z a-z 0-9 . _ -");
        }
        return keyId;
    }

    @Override
    public String toString() {
        return "SigningKey[keyId=" + keyId + ", Ed25519]";
    }
}
