package dev.keyledger.edge.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyType;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hot-path check gives exactly the contract's answer for valid, mutated and hostile keys. */
class KeyFormatCheckTest {

    private final Random random = new Random(42);
    private final byte[] buffer = new byte[ApiKeyFormat.KEY_LENGTH];

    @Test
    void agreesWithTheContractOnValidAndSingleCharacterMutations() {
        String chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-é\u0000\u0100\u01FF!";
        for (int n = 0; n < 5000; n++) {
            String key = ApiKeyFormat.generate(n % 2 == 0 ? ApiKeyType.SECRET : ApiKeyType.PUBLIC)
                    .plaintext();
            assertSame(key);
            int at = random.nextInt(key.length());
            String mutated =
                    key.substring(0, at) + chars.charAt(random.nextInt(chars.length())) + key.substring(at + 1);
            assertSame(mutated);
        }
    }

    @Test
    void agreesOnWrongLengthsAndPrefixes() {
        String key = ApiKeyFormat.generate(ApiKeyType.SECRET).plaintext();
        for (String candidate :
                new String[] {"", "sk_", key + "A", key.substring(1), "ak_" + key.substring(3), "SK_" + key.substring(3)
                }) {
            assertSame(candidate);
        }
    }

    /**
     * Characters whose low byte is base62 ({@code \u0141} narrows to 'A', {@code \u00C1} is 'A'
     * plus 0x80) and bad characters under a matching checksum: the copy into bytes must not turn
     * them into a valid key.
     */
    @Test
    void agreesOnNonAsciiLookalikesAndForgedChecksums() {
        for (int n = 0; n < 500; n++) {
            String key = ApiKeyFormat.generate(n % 2 == 0 ? ApiKeyType.SECRET : ApiKeyType.PUBLIC)
                    .plaintext();
            int at = 3 + random.nextInt(ApiKeyFormat.RANDOM_LENGTH);
            for (char odd : new char[] {'\u0141', '\u00C1', '\u0130', '\u212A', '_', '-', '\u0000', '\u0080'}) {
                String mutated = key.substring(0, at) + odd + key.substring(at + 1);
                assertSame(mutated);
                assertSame(withChecksum(mutated));
            }
            assertSame(withChecksum(key));
        }
        assertSame("\u0173k_"
                + ApiKeyFormat.generate(ApiKeyType.SECRET).plaintext().substring(3));
    }

    /**
     * {@code key} with its last six characters replaced by the checksum of the first 61, computed as
     * the contract does (CRC32 of the characters' low bytes, in base62): a forger's key.
     */
    static String withChecksum(String key) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        int body = ApiKeyFormat.PREFIX_LENGTH + ApiKeyFormat.RANDOM_LENGTH;
        for (int i = 0; i < body; i++) {
            crc.update(key.charAt(i));
        }
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        char[] checksum = new char[ApiKeyFormat.CHECKSUM_LENGTH];
        long value = crc.getValue();
        for (int i = checksum.length - 1; i >= 0; i--) {
            checksum[i] = alphabet.charAt((int) (value % 62));
            value /= 62;
        }
        return key.substring(0, body) + new String(checksum);
    }

    private void assertSame(String key) {
        assertThat(KeyFormatCheck.check(key, buffer)).as(key).isEqualTo(ApiKeyFormat.check(key));
    }
}
