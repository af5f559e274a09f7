package dev.keyledger.command.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @Test
    void trimsAndAcceptsUnicodeLetters() {
        assertThat(Names.require("name", "  Zürich 東京 🚀  ")).isEqualTo("Zürich 東京 🚀");
    }

    @Test
    void countsCodePointsNotChars() {
        assertThat(Names.require("name", "🚀".repeat(100))).hasSize(200);
        assertThatThrownBy(() -> Names.require("name", "a".repeat(101))).isInstanceOf(ValidationException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "a\u0000b",
                "a\nb",
                "a\u0007b",
                "a\u200Bb",
                "a\u202Eb",
                "a\uE000b",
                "a\u2028b",
                "a\uD800b"
            })
    void refusesBlankAndInvisibleOrControlCharacters(String name) {
        assertThatThrownBy(() -> Names.require("name", name)).isInstanceOf(ValidationException.class);
    }

    @Test
    void refusesMissingName() {
        assertThatThrownBy(() -> Names.require("name", null)).isInstanceOf(ValidationException.class);
    }
}
