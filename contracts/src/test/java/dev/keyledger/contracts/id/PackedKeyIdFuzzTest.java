package dev.keyledger.contracts.id;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyledger.contracts.FuzzInput;

/**
 * Any text a changelog record may carry as a key id: packing never throws, accepts exactly the
 * canonical grammar, and what it packs renders back to the same text, so no two ids share a packed
 * form (the edge's rate-limit counters and revocations depend on that). Regression mode replays
 * {@code PackedKeyIdFuzzTestInputs/}; {@code JAZZER_FUZZ=1} explores (docs/security.md).
 */
class PackedKeyIdFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void packsExactlyTheCanonicalIdsAndRendersThemBack(byte[] input) {
        String id = FuzzInput.text(input);

        PackedKeyId packed = PackedKeyId.of(id);

        boolean canonical = id.matches("key_[0-7][0-9A-HJKMNP-TV-Z]{25}");
        assertThat(packed != null).as(id).isEqualTo(canonical);
        if (packed != null) {
            assertThat(packed.toString()).isEqualTo(id);
            assertThat(Ids.isValid(id, Ids.KEY_PREFIX)).isTrue();
            assertThat(PackedKeyId.matches(id, packed.high(), packed.low())).isTrue();
            assertThat(PackedKeyId.identity(id)).isEqualTo(packed);
        } else {
            assertThat(PackedKeyId.identity(id)).isSameAs(id);
        }
    }
}
