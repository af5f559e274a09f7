package dev.keyledger.contracts.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OriginPatternTest {

    @ParameterizedTest
    @CsvSource({
        "https://app.example.com, https://app.example.com",
        "http://localhost:3000, http://localhost:3000",
        "HTTPS://App.Example.COM, https://app.example.com",
        "https://app.example.com:443, https://app.example.com",
        "http://app.example.com:80, http://app.example.com",
        "https://app.example.com:80, https://app.example.com:80",
        "http://localhost:65535, http://localhost:65535",
        "http://localhost:1, http://localhost:1",
        "http://127.0.0.1:8080, http://127.0.0.1:8080",
        "https://xn--bcher-kva.example, https://xn--bcher-kva.example",
        "https://*.example.com, https://*.example.com",
        "https://*.a.b, https://*.a.b",
        "https://*.Example.com:8443, https://*.example.com:8443",
        "https://a-b.c-d.example, https://a-b.c-d.example",
    })
    void acceptsAndCanonicalises(String raw, String canonical) {
        OriginPattern pattern = OriginPattern.parse(raw);
        assertThat(pattern.value()).isEqualTo(canonical);
        assertThat(OriginPattern.isCanonical(canonical)).isTrue();
        assertThat(OriginPattern.parse(canonical)).isEqualTo(pattern);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "app.example.com", // no scheme
                "ftp://app.example.com",
                "https:/app.example.com",
                "https://",
                "https://app.example.com/", // trailing slash
                "https://app.example.com/path",
                "https://app.example.com?x=1",
                "https://app.example.com#top",
                "https://user@app.example.com",
                "https://user:pw@app.example.com",
                "https://app.example.com:0",
                "https://app.example.com:65536",
                "https://app.example.com:99999",
                "https://app.example.com:080",
                "https://app.example.com:",
                "https://app.example.com:-1",
                "https://app.example.com:8a",
                "http://[::1]:3000", // IPv6 literal
                "http://[::1]",
                "http://::1",
                "http://*.example.com", // wildcard needs https
                "https://*.com", // wildcard needs two labels
                "https://*", // bare wildcard
                "https://a.*.example.com", // wildcard in the middle
                "https://*a.example.com",
                "https://**.example.com",
                "https://*.*.example.com",
                "https://app.*",
                "https://*.10.0.0.1", // wildcard over an address
                "https://app..example.com",
                "https://.example.com",
                "https://example.com.",
                "https://-app.example.com",
                "https://app-.example.com",
                "https://app_1.example.com",
                "https://app.example.com\\evil.com",
                "https://app.example.com\\",
                "https://app example.com",
                " https://app.example.com",
                "https://app.example.com\t",
                "https://app.example.com\u0000",
                "https://äpp.example.com", // IDN must be punycode
                "https://app.example.com\uD800",
                "http://999.1.1.1",
                "http://127.1",
                "http://127.0.0.01",
                "http://1.2.3.4.5",
            })
    void refuses(String raw) {
        assertThatThrownBy(() -> OriginPattern.parse(raw)).isInstanceOf(InvalidValueException.class);
        assertThat(OriginPattern.isCanonical(raw)).isFalse();
    }

    @Test
    void refusesNullAndOverlongValues() {
        assertThatThrownBy(() -> OriginPattern.parse(null)).hasMessage("is required");
        String longLabel = "a".repeat(64);
        assertThatThrownBy(() -> OriginPattern.parse("https://" + longLabel + ".com"))
                .isInstanceOf(InvalidValueException.class);
        String longHost = ("a".repeat(62) + ".").repeat(4) + "com"; // 255 characters
        assertThatThrownBy(() -> OriginPattern.parse("https://" + longHost)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> OriginPattern.parse("https://" + "a".repeat(100_000)))
                .isInstanceOf(InvalidValueException.class);
        String maxHost = ("a".repeat(62) + ".").repeat(3) + "a".repeat(60) + ".com"; // 253 characters
        assertThat(maxHost).hasSize(253);
        assertThat(OriginPattern.parse("https://" + maxHost + ":65535").value()).endsWith(":65535");
    }

    @Test
    void exactPatternMatchesOnlyItsCanonicalOrigin() {
        OriginPattern pattern = OriginPattern.parse("https://app.example.com");
        assertThat(pattern.isWildcard()).isFalse();
        assertThat(pattern.matches("https://app.example.com")).isTrue();
        assertThat(pattern.matches("https://app.example.com:443")).isFalse();
        assertThat(pattern.matches("http://app.example.com")).isFalse();
        assertThat(pattern.matches("https://APP.example.com")).isFalse();
        assertThat(pattern.matches("https://app.example.com/")).isFalse();
        assertThat(pattern.matches(null)).isFalse();
    }

    @Test
    void wildcardMatchesExactlyOneLeadingLabel() {
        OriginPattern pattern = OriginPattern.parse("https://*.example.org");
        assertThat(pattern.isWildcard()).isTrue();
        assertThat(pattern.matches("https://shop.example.org")).isTrue();
        assertThat(pattern.matches("https://a-1.example.org")).isTrue();
        assertThat(pattern.matches("https://a.b.example.org")).isFalse();
        assertThat(pattern.matches("https://.example.org")).isFalse();
        assertThat(pattern.matches("https://example.org")).isFalse();
        assertThat(pattern.matches("http://shop.example.org")).isFalse();
        assertThat(pattern.matches("https://shop.example.org:8443")).isFalse();
        assertThat(pattern.matches("https://shop.example.org.evil.com")).isFalse();
        assertThat(pattern.matches("https://evil.com/.example.org")).isFalse();
        assertThat(pattern.matches("https://evil@x.example.org")).isFalse();
        assertThat(pattern.matches("https://ev:il.example.org")).isFalse();
        assertThat(pattern.matches("https://*.example.org")).isFalse();
    }

    @Test
    void wildcardWithAPortMatchesOnlyThatPort() {
        OriginPattern pattern = OriginPattern.parse("https://*.example.org:8443");
        assertThat(pattern.matches("https://shop.example.org:8443")).isTrue();
        assertThat(pattern.matches("https://shop.example.org")).isFalse();
    }

    @Test
    void coveringWildcardNamesThePatternThatWouldAllowAnOrigin() {
        assertThat(OriginPattern.coveringWildcard("https://shop.example.org")).isEqualTo("https://*.example.org");
        assertThat(OriginPattern.coveringWildcard("https://shop.example.org:8443"))
                .isEqualTo("https://*.example.org:8443");
        assertThat(OriginPattern.coveringWildcard("http://shop.example.org")).isNull();
        assertThat(OriginPattern.coveringWildcard("https://localhost")).isNull();
        assertThat(OriginPattern.coveringWildcard("https://ev/il.example.org")).isNull();
        assertThat(OriginPattern.coveringWildcard(null)).isNull();
        String covering = OriginPattern.coveringWildcard("https://shop.example.org");
        assertThat(OriginPattern.parse(covering).matches("https://shop.example.org"))
                .isTrue();
    }

    @Test
    void messagesNeverEchoTheInput() {
        assertThatThrownBy(() -> OriginPattern.parse("https://secret.example.com/path"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }
}
