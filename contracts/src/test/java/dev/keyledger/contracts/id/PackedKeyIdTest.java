package dev.keyledger.contracts.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PackedKeyIdTest {

    @Test
    void everyGeneratedKeyIdPacksIntoTwoLongsAndRendersBackExactly() {
        long[] packed = new long[2];
        Set<Long> lows = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String id = Ids.newKeyId();
            assertThat(PackedKeyId.pack(id, packed)).as(id).isTrue();
            assertThat(PackedKeyId.render(packed[0], packed[1])).isEqualTo(id);
            assertThat(PackedKeyId.matches(id, packed[0], packed[1])).isTrue();
            lows.add(packed[1]);
        }
        assertThat(lows).hasSize(20_000); // 80 random bits: the low word differs for every id
    }

    @Test
    void everyBitOfTheUlidSurvivesTheRoundTrip() {
        assertRoundTrip(0, 0, "key_00000000000000000000000000");
        assertRoundTrip(-1, -1, "key_7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
        Random random = new Random(42);
        long[] packed = new long[2];
        for (int i = 0; i < 10_000; i++) {
            long high = random.nextLong();
            long low = random.nextLong();
            String text = PackedKeyId.render(high, low);
            assertThat(PackedKeyId.pack(text, packed)).as(text).isTrue();
            assertThat(packed).containsExactly(high, low);
        }
        for (int bit = 0; bit < 128; bit++) {
            long high = bit >= 64 ? 1L << (bit - 64) : 0;
            long low = bit < 64 ? 1L << bit : 0;
            String text = PackedKeyId.render(high, low);
            assertThat(PackedKeyId.pack(text, packed)).isTrue();
            assertThat(packed).as("bit %d", bit).containsExactly(high, low);
        }
    }

    private static void assertRoundTrip(long high, long low, String text) {
        assertThat(PackedKeyId.render(high, low)).isEqualTo(text);
        long[] packed = new long[2];
        assertThat(PackedKeyId.pack(text, packed)).isTrue();
        assertThat(packed).containsExactly(high, low);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "",
                "key_1",
                "key_8ZZZZZZZZZZZZZZZZZZZZZZZZZ", // 129 bits
                "key_01hxyz0000000000000000000z", // lower case: not the canonical form
                "key_0000000000000000000000000I", // I, L, O and U are not Crockford digits
                "key_0000000000000000000000000L",
                "key_0000000000000000000000000O",
                "key_0000000000000000000000000U",
                "key_000000000000000000000000000", // one digit too many
                "org_00000000000000000000000000",
                "KEY_00000000000000000000000000",
                "key_0000000000000000000000000\u00e9",
                "key_0000000000000000000000000\u0660",
            })
    void anIdInAnyOtherFormHasNoPackedFormAndIsItsOwnIdentity(String id) {
        assertThat(PackedKeyId.pack(id, new long[2])).isFalse();
        assertThat(PackedKeyId.of(id)).isNull();
        assertThat(PackedKeyId.identity(id)).isSameAs(id);
    }

    @Test
    void theIdentityOfAnIdIsEqualWhicheverFormItStartsFrom() {
        String id = Ids.newKeyId();
        PackedKeyId packed = PackedKeyId.of(id);
        assertThat(PackedKeyId.identity(id)).isEqualTo(packed).hasSameHashCodeAs(packed);
        assertThat(PackedKeyId.identity(new String(id))).isEqualTo(PackedKeyId.identity(id));
        assertThat(packed.toString()).isEqualTo(id);
        assertThat(PackedKeyId.identity(Ids.newKeyId())).isNotEqualTo(packed);
        assertThat(PackedKeyId.matches(id, packed.high(), packed.low())).isTrue();
        assertThat(PackedKeyId.matches(id.toLowerCase(java.util.Locale.ROOT), packed.high(), packed.low()))
                .isFalse();
        assertThat(PackedKeyId.matches(null, packed.high(), packed.low())).isFalse();
    }
}
