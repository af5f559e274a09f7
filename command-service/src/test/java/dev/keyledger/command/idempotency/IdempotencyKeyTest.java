package dev.keyledger.command.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

    private static java.util.Optional<IdempotencyKey> parse(String... values) {
        return IdempotencyKey.of(Collections.enumeration(List.of(values)));
    }

    @Test
    void noHeaderIsNoKey() {
        assertThat(parse()).isEmpty();
        assertThat(IdempotencyKey.of(null)).isEmpty();
    }

    @Test
    void oneTo255PrintableAsciiCharactersAreAKey() {
        assertThat(parse("a")).map(IdempotencyKey::value).contains("a");
        assertThat(parse(" !~".repeat(85))).map(IdempotencyKey::value).contains(" !~".repeat(85));
        assertThat(parse("5b1c8f4e-2a57-4d1e-9d0a-6f3e2c1b7a90")).isPresent();
    }

    @Test
    void emptyTooLongControlAndNonAsciiValuesAreRefused() {
        for (String bad : List.of(
                "", "k".repeat(256), "tab\there", "nul\u0000", "del\u007f", "\u00e4", "\u0085", "\ud83d\udd11")) {
            assertThatThrownBy(() -> parse(bad))
                    .isInstanceOf(IdempotencyKey.Invalid.class)
                    .hasMessageContaining("1 to 255 printable ASCII");
        }
    }

    @Test
    void aHeaderSentTwiceIsRefusedEvenWithTheSameValue() {
        assertThatThrownBy(() -> parse("same", "same"))
                .isInstanceOf(IdempotencyKey.Invalid.class)
                .hasMessageContaining("once");
    }
}
