package dev.keyledger.contracts.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReasonTest {

    @Test
    void aReasonIsTrimmedAndKeptAsTyped() {
        assertThat(Reason.parse("  Key leaked on GitHub — rotate everything ").value())
                .isEqualTo("Key leaked on GitHub — rotate everything");
    }

    @Test
    void fiveHundredCharactersAreAcceptedAndOneMoreIsRefused() {
        assertThat(Reason.parse("é".repeat(500)).value()).hasSize(500);
        assertThatThrownBy(() -> Reason.parse("a".repeat(501)))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("must be at most 500 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "line\nbreak", "nul\u0000", "bidi\u202Eoverride", "zero\u200Bwidth"})
    void blankOrControlCharactersAreRefused(String raw) {
        assertThatThrownBy(() -> Reason.parse(raw)).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void aMissingReasonIsRefused() {
        assertThatThrownBy(() -> Reason.parse(null)).hasMessage("is required");
    }
}
