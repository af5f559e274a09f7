package dev.keyledger.contracts.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DisplayNameTest {

    @Test
    void keepsAnOrdinaryNameAndTrimsOuterWhiteSpace() {
        assertThat(DisplayName.parse("  Production keys ").value()).isEqualTo("Production keys");
        assertThat(DisplayName.parse("Zürich · 東京 🚀").value()).isEqualTo("Zürich · 東京 🚀");
    }

    @Test
    void acceptsABackslashAsAnOrdinaryCharacter() {
        assertThat(DisplayName.parse("ops\\staging").value()).isEqualTo("ops\\staging");
    }

    @Test
    void countsCodePointsNotUtf16Units() {
        String hundredEmoji = "🚀".repeat(100);
        assertThat(hundredEmoji).hasSize(200);
        assertThat(DisplayName.parse(hundredEmoji).value()).isEqualTo(hundredEmoji);
        assertThat(DisplayName.parse("x".repeat(100)).value()).hasSize(100);
    }

    @Test
    void refusesNamesLongerThanOneHundredCharacters() {
        assertThatThrownBy(() -> DisplayName.parse("x".repeat(101)))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("at most 100");
        assertThatThrownBy(() -> DisplayName.parse("🚀".repeat(101))).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> DisplayName.parse("x".repeat(1_000_000))).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void refusesMissingAndBlankNames() {
        assertThatThrownBy(() -> DisplayName.parse(null)).hasMessage("is required");
        assertThatThrownBy(() -> DisplayName.parse("")).hasMessage("must not be blank");
        assertThatThrownBy(() -> DisplayName.parse("   ")).hasMessage("must not be blank");
        assertThatThrownBy(() -> DisplayName.parse("\u00A0\u2007")).hasMessage("must not be blank");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a\u0000b", // NUL
                "a\tb", // tab
                "a\nb", // newline
                "a\rb",
                "a\u001b[31mred", // terminal escape
                "a\u007fb", // DEL
                "a\u0085b", // C1 next line
                "a\u202Eb", // bidi override
                "a\u200Bb", // zero width space
                "a\uFEFFb", // byte order mark
                "a\uE000b", // private use
                "a\uFFFFb", // noncharacter
                "a\u2028b", // line separator
                "a\u2029b", // paragraph separator
                "a\uD800b", // lone high surrogate
                "a\uDC00b", // lone low surrogate
                "a\uD800", // high surrogate at the end
                "\uDFFFa", // low surrogate at the start
                "\uDBFF\uDBFF", // two high surrogates
            })
    void refusesForbiddenCharacters(String raw) {
        assertThatThrownBy(() -> DisplayName.parse(raw))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("forbidden character");
    }

    @Test
    void aSurrogatePairIsOneValidCharacter() {
        assertThat(DisplayName.parse("\uD83D\uDE80").value()).isEqualTo("🚀");
    }

    @Test
    void messagesNeverEchoTheInput() {
        assertThatThrownBy(() -> DisplayName.parse("secret\u0000"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    @Test
    void isValidOnlyForTrimmedValidNames() {
        assertThat(DisplayName.isValid("CI")).isTrue();
        assertThat(DisplayName.isValid(" CI")).isFalse();
        assertThat(DisplayName.isValid("a\u0000")).isFalse();
        assertThat(DisplayName.parse(" CI")).isEqualTo(DisplayName.parse("CI"));
    }
}
