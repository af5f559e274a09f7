package dev.keyledger.edge.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.KeyCheck;
import dev.keyledger.edge.FuzzInput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The edge's hot-path key check and the contract's reference parser give the same answer for every
 * input, and neither throws. Regression mode replays {@code KeyFormatAgreementFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} explores (docs/security.md).
 */
class KeyFormatAgreementFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void edgeCheckAgreesWithTheContractParser(byte[] input) {
        String presented = FuzzInput.text(input);
        byte[] out = new byte[ApiKeyFormat.KEY_LENGTH];

        KeyCheck edge = KeyFormatCheck.check(presented, out);
        KeyCheck reference = ApiKeyFormat.check(presented);

        assertThat(edge).isEqualTo(reference);
        if (edge != KeyCheck.MALFORMED) {
            // The buffer the edge hashes holds exactly the key's bytes.
            assertThat(Arrays.equals(out, presented.getBytes(StandardCharsets.US_ASCII)))
                    .isTrue();
        }
    }
}
