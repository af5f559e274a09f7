package dev.keyledger.contracts.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

    @Test
    void generatedSecretKeyHasPrefixLengthAndValidChecksum() {
        GeneratedApiKey key = ApiKeyFormat.generate(ApiKeyType.SECRET);

        assertThat(key.plaintext()).startsWith("sk_").hasSize(67).matches("sk_[0-9A-Za-z]{64}");
        assertThat(ApiKeyFormat.check(key.plaintext())).isEqualTo(KeyCheck.VALID_SECRET);
        assertThat(key.lastFour()).isEqualTo(key.plaintext().substring(63));
        assertThat(key.hash()).hasSize(64).matches("[0-9a-f]{64}");
    }

    @Test
    void generatedPublicKeyIsRecognisedAsPublic() {
        GeneratedApiKey key = ApiKeyFormat.generate(ApiKeyType.PUBLIC);

        assertThat(ApiKeyFormat.check(key.plaintext())).isEqualTo(KeyCheck.VALID_PUBLIC);
        assertThat(ApiKeyFormat.check(key.plaintext()).type()).isEqualTo(ApiKeyType.PUBLIC);
    }

    @Test
    void hashIsTheSha256OfTheWholeKey() {
        // Known answer: sha256("abc").
        assertThat(ApiKeyFormat.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void toStringNeverShowsThePlaintext() {
        GeneratedApiKey key = ApiKeyFormat.generate(ApiKeyType.SECRET);

        assertThat(key.toString()).doesNotContain(key.plaintext()).contains(key.hash());
    }

    @Test
    void switchingThePrefixFailsTheChecksum() {
        String secret = ApiKeyFormat.generate(ApiKeyType.SECRET).plaintext();

        assertThat(ApiKeyFormat.check("pk_" + secret.substring(3))).isEqualTo(KeyCheck.BAD_CHECKSUM);
    }

    @Test
    void rejectsMalformedInputWithoutThrowing() {
        assertThat(ApiKeyFormat.check(null)).isEqualTo(KeyCheck.MALFORMED);
        assertThat(ApiKeyFormat.check("")).isEqualTo(KeyCheck.MALFORMED);
        assertThat(ApiKeyFormat.check("sk_short")).isEqualTo(KeyCheck.MALFORMED);
        assertThat(ApiKeyFormat.check("xk_" + "a".repeat(64))).isEqualTo(KeyCheck.MALFORMED);
        assertThat(ApiKeyFormat.check("sk_" + "a".repeat(63) + "é")).isEqualTo(KeyCheck.MALFORMED);
        assertThat(ApiKeyFormat.check("sk_" + "-".repeat(64))).isEqualTo(KeyCheck.MALFORMED);
        assertThat(ApiKeyFormat.check("sk_" + "a".repeat(65))).isEqualTo(KeyCheck.MALFORMED);
    }

    @Test
    void maskedShowsPrefixAndLastFour() {
        assertThat(ApiKeyFormat.masked(ApiKeyType.SECRET, "AbC9")).isEqualTo("sk_...AbC9");
    }
}
