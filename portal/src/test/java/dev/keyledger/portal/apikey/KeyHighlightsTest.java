package dev.keyledger.portal.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.portal.api.Models.KeyView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The two badges' rules, on a fixed clock. */
class KeyHighlightsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final KeyHighlights HIGHLIGHTS =
            new KeyHighlights(Duration.ofDays(90), Clock.fixed(NOW, ZoneOffset.UTC));

    static KeyView key(String status, Duration age, Duration sinceLastUse) {
        return new KeyView(
                "key_01JH0000000000000000000010",
                "secret",
                "k",
                "org_01JH0000000000000000000001",
                null,
                null,
                "abcd",
                NOW.minus(age),
                "alice",
                null,
                null,
                status,
                null,
                null,
                null,
                sinceLastUse == null ? null : NOW.minus(sinceLastUse),
                sinceLastUse == null ? 0 : 1);
    }

    @Test
    void flagsAnActiveKeyOlderThanThirtyDaysWithoutUseInThirtyDays() {
        assertThat(HIGHLIGHTS.unused(key("active", Duration.ofDays(31), null))).isTrue();
        assertThat(HIGHLIGHTS.unused(key("active", Duration.ofDays(40), Duration.ofDays(31))))
                .isTrue();
    }

    @Test
    void doesNotFlagAYoungKeyARecentlyUsedKeyOrAKeyNoLongerActive() {
        assertThat(HIGHLIGHTS.unused(key("active", Duration.ofDays(29), null))).isFalse();
        assertThat(HIGHLIGHTS.unused(key("active", Duration.ofDays(30), null)))
                .as("exactly 30 days is not more than 30")
                .isFalse();
        assertThat(HIGHLIGHTS.unused(key("active", Duration.ofDays(100), Duration.ofDays(29))))
                .isFalse();
        assertThat(HIGHLIGHTS.unused(key("revoked", Duration.ofDays(100), null)))
                .isFalse();
        assertThat(HIGHLIGHTS.unused(key("expired", Duration.ofDays(100), null)))
                .isFalse();
    }

    @Test
    void marksRotationDueOnlyForActiveKeysOlderThanTheRotationAge() {
        assertThat(HIGHLIGHTS.rotationDue(key("active", Duration.ofDays(91), Duration.ofDays(1))))
                .isTrue();
        assertThat(HIGHLIGHTS.rotationDue(key("active", Duration.ofDays(90), null)))
                .isFalse();
        assertThat(HIGHLIGHTS.rotationDue(key("revoked", Duration.ofDays(200), null)))
                .isFalse();
    }
}
