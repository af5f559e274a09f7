package dev.keyledger.servicekit.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HeaderCharactersTest {

    // The expressions of Spring Security's StrictHttpFirewall that HeaderCharacters replaces.
    private static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void agreesWithTheFirewallExpressionsOnEveryCodePoint() {
        int disagreements = 0;
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "Bearer " + Character.toString(codePoint) + "x";
            disagreements +=
                    HeaderCharacters.nameAllowed(text) == NAME.matcher(text).matches() ? 0 : 1;
            disagreements +=
                    HeaderCharacters.valueAllowed(text) == VALUE.matcher(text).matches() ? 0 : 1;
        }
        assertThat(disagreements).isZero();
    }

    @Test
    void agreesOnLoneSurrogates() {
        for (char c = Character.MIN_SURROGATE; c < Character.MAX_SURROGATE; c++) {
            String alone = "a" + c;
            String beforeLow = c + "\uDC00";
            assertThat(HeaderCharacters.valueAllowed(alone))
                    .isEqualTo(VALUE.matcher(alone).matches());
            assertThat(HeaderCharacters.valueAllowed(beforeLow))
                    .isEqualTo(VALUE.matcher(beforeLow).matches());
        }
    }

    @Test
    void allowsATabInValuesOnly() {
        assertThat(HeaderCharacters.valueAllowed("a\tb")).isTrue();
        assertThat(HeaderCharacters.nameAllowed("a\tb")).isFalse();
        assertThat(HeaderCharacters.valueAllowed("a\nb")).isFalse();
    }
}
