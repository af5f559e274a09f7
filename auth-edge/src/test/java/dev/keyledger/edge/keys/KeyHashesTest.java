package dev.keyledger.edge.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.apikey.GeneratedApiKey;
import org.junit.jupiter.api.Test;

class KeyHashesTest {

    @Test
    void hashOfAPresentedKeyEqualsTheParsedRecordKey() {
        GeneratedApiKey key = ApiKeyFormat.generate(ApiKeyType.SECRET);
        long[] fromKey = new long[4];
        long[] fromRecord = new long[4];

        KeyHashes.sha256(key.plaintext(), fromKey);

        assertThat(KeyHashes.parseHex(key.hash(), fromRecord)).isTrue();
        assertThat(fromKey).isEqualTo(fromRecord);
    }

    @Test
    void recordKeysThatAreNotHashesAreRejected() {
        long[] out = new long[4];
        assertThat(KeyHashes.parseHex(null, out)).isFalse();
        assertThat(KeyHashes.parseHex("abc", out)).isFalse();
        assertThat(KeyHashes.parseHex("z".repeat(64), out)).isFalse();
    }
}
