package dev.keyledger.contracts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** How the fuzz tests of this module read Jazzer's raw bytes as text. */
public final class FuzzInput {

    private FuzzInput() {}

    /**
     * UTF-8 normally (so committed inputs are readable files), or, after a leading NUL byte, UTF-16BE
     * code units, which reach every {@code char} including lone surrogates.
     */
    public static String text(byte[] input) {
        if (input.length > 0 && input[0] == 0) {
            ByteBuffer units = ByteBuffer.wrap(input, 1, input.length - 1);
            StringBuilder out = new StringBuilder();
            while (units.remaining() >= 2) {
                out.append(units.getChar());
            }
            return out.toString();
        }
        return new String(input, StandardCharsets.UTF_8);
    }
}
