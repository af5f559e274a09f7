package dev.keyledger.contracts.value;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyledger.contracts.FuzzInput;
import java.time.Instant;

/**
 * The shared input rules (origins, display names, instants) under coverage-guided fuzzing: each
 * parser either returns a value in canonical form or throws {@link InvalidValueException}, never
 * anything else, and a parsed value parses again to itself. Regression mode replays the committed
 * {@code ValueTypesFuzzTestInputs/}; {@code JAZZER_FUZZ=1} explores (docs/security.md).
 */
class ValueTypesFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void originPatternsAreCanonicalOrRefused(byte[] input) {
        String raw = FuzzInput.text(input);
        OriginPattern pattern;
        try {
            pattern = OriginPattern.parse(raw);
        } catch (InvalidValueException refused) {
            assertThat(OriginPattern.isCanonical(raw)).isFalse();
            return;
        }
        String value = pattern.value();
        assertThat(value.length()).isLessThanOrEqualTo(OriginPattern.MAX_LENGTH);
        assertThat(value).matches("https?://(\\*\\.)?[a-z0-9.-]+(:[1-9][0-9]{0,4})?");
        assertThat(OriginPattern.parse(value).value()).isEqualTo(value);
        assertThat(OriginPattern.isCanonical(value)).isTrue();
        if (pattern.isWildcard()) {
            assertThat(value).startsWith("https://*.");
            String example = "https://a" + value.substring("https://*".length());
            assertThat(pattern.matches(example)).isTrue();
            assertThat(OriginPattern.coveringWildcard(example)).isEqualTo(value);
            assertThat(pattern.matches("https://a.b" + value.substring("https://*".length())))
                    .isFalse();
        } else {
            assertThat(pattern.matches(value)).isTrue();
            assertThat(pattern.matches(value + "/")).isFalse();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void originMatchingNeverThrows(byte[] input) {
        String origin = FuzzInput.text(input);
        OriginPattern wildcard = OriginPattern.parse("https://*.example.com");
        OriginPattern exact = OriginPattern.parse("https://app.example.com:8443");

        boolean wildcardMatch = wildcard.matches(origin);
        boolean exactMatch = exact.matches(origin);
        String covering = OriginPattern.coveringWildcard(origin);

        if (wildcardMatch) {
            assertThat(covering).isEqualTo("https://*.example.com");
            assertThat(origin).startsWith("https://").endsWith(".example.com");
            assertThat(origin.substring("https://".length()))
                    .doesNotContain("/")
                    .doesNotContain("@");
        }
        if (exactMatch) {
            assertThat(origin).isEqualTo("https://app.example.com:8443");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void displayNamesAreCleanOrRefused(byte[] input) {
        String raw = FuzzInput.text(input);
        DisplayName name;
        try {
            name = DisplayName.parse(raw);
        } catch (InvalidValueException refused) {
            return;
        }
        String value = name.value();
        assertThat(value).isEqualTo(value.strip()).isNotBlank();
        assertThat(value.codePointCount(0, value.length())).isBetween(1, DisplayName.MAX_CODE_POINTS);
        assertThat(DisplayName.isValid(value)).isTrue();
        value.codePoints().forEach(codePoint -> {
            assertThat(Character.isISOControl(codePoint)).isFalse();
            assertThat(Character.isSurrogate((char) codePoint) && codePoint <= 0xFFFF)
                    .isFalse();
            assertThat(Character.getType(codePoint)).isNotEqualTo((int) Character.FORMAT);
        });
    }

    @FuzzTest(maxDuration = "60s")
    void utcInstantsFitPostgresOrAreRefused(byte[] input) {
        String raw = FuzzInput.text(input);
        Instant instant;
        try {
            instant = UtcInstant.parse(raw);
        } catch (InvalidValueException refused) {
            return;
        }
        assertThat(instant)
                .isBetween(Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"));
        assertThat(UtcInstant.parse(instant.toString())).isEqualTo(instant);
    }
}
