package dev.keyledger.contracts.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Properties of the key format, checked over many generated keys: every generated key parses, and
 * every single-character change of a key fails the check. The second property is checked
 * exhaustively (every position, every printable ASCII character and a few non-ASCII ones) rather
 * than by sampling, which is cheap at this size and leaves no case to chance.
 */
class ApiKeyFormatPropertyTest {

    private static final int GENERATED_KEYS = 10_000;
    private static final int MUTATED_KEYS = 25;

    @ParameterizedTest
    @EnumSource(ApiKeyType.class)
    void everyGeneratedKeyParses(ApiKeyType type) {
        for (int i = 0; i < GENERATED_KEYS; i++) {
            String key = ApiKeyFormat.generate(type).plaintext();
            assertThat(ApiKeyFormat.check(key).isValid()).as(key).isTrue();
            assertThat(ApiKeyFormat.check(key).type()).isEqualTo(type);
        }
    }

    @ParameterizedTest
    @EnumSource(ApiKeyType.class)
    void anySingleCharacterChangeFailsTheCheck(ApiKeyType type) {
        List<Character> replacements = new ArrayList<>();
        for (char c = ' '; c <= '~'; c++) {
            replacements.add(c);
        }
        replacements.addAll(List.of('é', 'ß', '€', '\u0000', '\u00ff'));
        int checked = 0;
        for (int k = 0; k < MUTATED_KEYS; k++) {
            String original = ApiKeyFormat.generate(type).plaintext();
            for (int position = 0; position < ApiKeyFormat.KEY_LENGTH; position++) {
                for (char replacement : replacements) {
                    if (original.charAt(position) == replacement) {
                        continue;
                    }
                    char[] chars = original.toCharArray();
                    chars[position] = replacement;
                    String mistyped = new String(chars);
                    assertThat(ApiKeyFormat.check(mistyped).isValid())
                            .as("%s changed at %d to %s", original, position, replacement)
                            .isFalse();
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(MUTATED_KEYS * ApiKeyFormat.KEY_LENGTH * 90);
    }
}
