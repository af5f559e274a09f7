package dev.keyledger.edge.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.id.PackedKeyId;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An entry holds a canonical key id as two longs and any other id as its text; both give it back. */
class KeyEntryIdTest {

    @Test
    void aPackedIdComesBackAsItsTextAndMatchesNoOtherId() {
        String id = Ids.newKeyId();
        KeyEntry entry = entry(id);

        assertThat(entry.keyId()).isEqualTo(id);
        assertThat(entry.packedId()).isEqualTo(PackedKeyId.of(id));
        assertThat(entry.hasKeyId(id)).isTrue();
        assertThat(entry.hasKeyId(Ids.newKeyId())).isFalse();
        assertThat(entry.hasKeyId(id.toLowerCase(Locale.ROOT))).isFalse();
        assertThat(entry.hasKeyId(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"key_1", "key_legacy-id", "key_01hxyz0000000000000000000z", "KEY_00000000000000000000000000"})
    void anyOtherIdIsKeptAsItsText(String id) {
        KeyEntry entry = entry(id);

        assertThat(entry.keyId()).isSameAs(id);
        assertThat(entry.packedId()).isNull();
        assertThat(entry.hasKeyId(id)).isTrue();
        assertThat(entry.hasKeyId(id + "0")).isFalse();
    }

    private static KeyEntry entry(String id) {
        return new KeyEntry(
                new long[4], id, ApiKeyType.SECRET, "org_1", null, new RateLimits(60, 1000), AllowedOrigins.NONE, 0);
    }
}
