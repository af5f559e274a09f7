package dev.keyledger.edge.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedOriginsTest {

    private final AllowedOrigins origins =
            new AllowedOrigins(List.of("https://app.example.com", "http://localhost:3000", "https://*.example.org"));

    @Test
    void exactOriginsMatchExactly() {
        assertThat(origins.allows("https://app.example.com")).isTrue();
        assertThat(origins.allows("http://localhost:3000")).isTrue();
        assertThat(origins.allows("https://app.example.com:443")).isFalse();
        assertThat(origins.allows("http://app.example.com")).isFalse();
        assertThat(origins.allows("http://localhost:3001")).isFalse();
        assertThat(origins.allows(null)).isFalse();
    }

    @Test
    void wildcardMatchesExactlyOneLeadingLabel() {
        assertThat(origins.allows("https://shop.example.org")).isTrue();
        assertThat(origins.allows("https://a.b.example.org")).isFalse();
        assertThat(origins.allows("https://.example.org")).isFalse();
        assertThat(origins.allows("https://example.org")).isFalse();
        assertThat(origins.allows("http://shop.example.org")).isFalse();
        assertThat(origins.allows("https://shop.example.org.evil.com")).isFalse();
        assertThat(origins.allows("https://evil.com/.example.org")).isFalse();
    }
}
