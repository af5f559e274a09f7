package dev.keyledger.contracts.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyledger.contracts.FuzzInput;

/**
 * Coverage-guided fuzzing of the key parser. In a normal test run Jazzer replays the committed
 * inputs under {@code src/test/resources/dev/keyledger/contracts/apikey/ApiKeyFormatFuzzTestInputs/}
 * (regression mode); with {@code JAZZER_FUZZ=1} it mutates them until {@code maxDuration}
 * (docs/security.md, "Fuzzing and hostile input").
 */
class ApiKeyFormatFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void checkNeverThrowsAndAcceptsOnlyTheKeyGrammar(byte[] input) {
        String presented = FuzzInput.text(input);

        KeyCheck result = ApiKeyFormat.check(presented);

        assertThat(result).isNotNull();
        if (result != KeyCheck.MALFORMED) {
            assertThat(presented).matches("(sk|pk)_[0-9A-Za-z]{64}");
            assertThat(ApiKeyFormat.sha256Hex(presented)).matches("[0-9a-f]{64}");
        }
        if (result == KeyCheck.VALID_SECRET) {
            assertThat(presented).startsWith("sk_");
        }
        if (result == KeyCheck.VALID_PUBLIC) {
            assertThat(presented).startsWith("pk_");
        }
    }
}
