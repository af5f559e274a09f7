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

    private void assertSame(String key) {
        assertThat(KeyFormatCheck.check(key, buffer)).as(key).isEqualTo(ApiKeyFormat.check(key));
    }
}
