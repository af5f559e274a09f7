package dev.keyledger.contracts.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {

    @Test
    void aPemFileRoundTripsAndSignsVerifiably() {
        SigningKey key = SigningKey.generate("k1");

        SigningKey read = SigningKey.fromPem("k1", key.toPem());
        String signature = read.sign("hello".getBytes(StandardCharsets.UTF_8));

        assertThat(Ed25519.rawPublicKey(read.publicKey())).isEqualTo(Ed25519.rawPublicKey(key.publicKey()));
        assertThat(Ed25519.verify(key.publicKey(), "hello".getBytes(StandardCharsets.UTF_8), signature))
                .isTrue();
        assertThat(Ed25519.verify(key.publicKey(), "hellO".getBytes(StandardCharsets.UTF_8), signature))
                .isFalse();
        assertThat(signature).hasSize(86).doesNotContain("=", "+", "/");
    }

    @Test
    void derivesThePublicKeyOfAPrivateKeyOnlyPem() {
        SigningKey key = SigningKey.generate("k1");
        String privateOnly = SigningKey.pem("PRIVATE KEY", key.privateKey().getEncoded());

        SigningKey read = SigningKey.fromPem("k1", privateOnly);

        assertThat(Ed25519.rawPublicKey(read.publicKey())).isEqualTo(Ed25519.rawPublicKey(key.publicKey()));
    }

    @Test
    void refusesAPublicKeyThatIsNotThePrivateKeys() {
        SigningKey key = SigningKey.generate("k1");
        String mismatched = SigningKey.pem("PRIVATE KEY", key.privateKey().getEncoded())
                + SigningKey.pem(
                        "PUBLIC KEY", SigningKey.generate("k2").publicKey().getEncoded());

        assertThatThrownBy(() -> SigningKey.fromPem("k1", mismatched))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> SigningKey.fromPem("k1", "nothing here")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigningKey.generate("bad id!")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverShowsPrivateMaterialInItsToString() {
        SigningKey key = SigningKey.generate("k1");

        assertThat(key.toString()).isEqualTo("SigningKey[keyId=k1, Ed25519]");
    }

    @Test
    void readsAPkcs12KeystoreMadeByKeytool(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("audit.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(
                        keytool.toString(),
                        "-genkeypair",
                        "-keyalg",
                        "Ed25519",
                        "-alias",
                        "audit",
                        "-dname",
                        "CN=keyledger audit",
                        "-keystore",
                        keystore.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit",
                        "-validity",
                        "3650")
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();

        SigningKey key;
        try (InputStream in = Files.newInputStream(keystore)) {
            key = SigningKey.fromPkcs12("p12", in, "changeit".toCharArray(), "audit", null);
        }
        AuditCheckpoint checkpoint =
                AuditCheckpoint.sign("org_x", 1L, 1L, 1, "e".repeat(64), Instant.parse("2026-01-01T00:00:00Z"), key);

        assertThat(AuditCheckpoint.verifySignature(checkpoint.toJson(), key.publicKey()))
                .isTrue();
    }

    @Test
    void jwkSetRoundTripsAndSkipsOtherKeyTypes() {
        SigningKey current = SigningKey.generate("2026-02");
        SigningKey retired = SigningKey.generate("2026-01");
        JwkSet set = new JwkSet(List.of(current.jwk(), retired.jwk()));

        String json = set.toString();
        JwkSet read =
                JwkSet.parse(json.replace("{\"keys\":[", "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"x\",\"e\":\"AQAB\"},"));

        assertThat(json).contains("\"kty\":\"OKP\"", "\"crv\":\"Ed25519\"", "\"kid\":\"2026-01\"");
        assertThat(read.keys()).extracting(Jwk::kid).containsExactly("2026-02", "2026-01");
        assertThat(Ed25519.rawPublicKey(read.find("2026-01").orElseThrow()))
                .isEqualTo(Ed25519.rawPublicKey(retired.publicKey()));
        assertThatThrownBy(() ->
                        JwkSet.parse("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AAAA\",\"kid\":\"a\"}]}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JwkSet.parse("[]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCheckpointSignatureCoversEveryMember() {
        SigningKey key = SigningKey.generate("k1");
        AuditCheckpoint checkpoint = AuditCheckpoint.sign(
                "org_x", 3L, 7L, 5, "f".repeat(64), Instant.parse("2026-01-01T00:00:00.123456Z"), key);

        var json = checkpoint.toJson();
        var extended = json.deepCopy().put("note", "added");

        assertThat(json.fieldNames())
                .toIterable()
                .containsExactly(
                        "type",
                        "organization_id",
                        "first_seq",
                        "last_seq",
                        "count",
                        "head",
                        "signed_at",
                        "key_id",
                        "signature");
        assertThat(json.get("signed_at").asText()).isEqualTo("2026-01-01T00:00:00.123Z");
        assertThat(AuditCheckpoint.verifySignature(json, key.publicKey())).isTrue();
        assertThat(AuditCheckpoint.verifySignature(extended, key.publicKey())).isFalse();
        assertThat(AuditCheckpoint.parse(json)).isEqualTo(checkpoint);
    }
}
