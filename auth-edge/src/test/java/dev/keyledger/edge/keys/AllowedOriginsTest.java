package dev.keyledger.edge.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
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
        assertThat(origins.allows("https://*.example.org")).isFalse();
    }

    @Test
    void entriesAreParsedWithTheSharedGrammarAndKeptInCanonicalForm() {
        AllowedOrigins parsed = new AllowedOrigins(List.of(
                "HTTPS://App.Example.com:443",
                "https://app.example.com",
                "https://bad.example.com/path",
                "http://*.x.com"));

        assertThat(parsed.source()).containsExactly("https://app.example.com");
        assertThat(parsed.allows("https://app.example.com")).isTrue();
        assertThat(parsed.allows("https://bad.example.com/path")).isFalse();
        assertThat(parsed.allows("http://a.x.com")).isFalse();
    }

    @Test
    void matchingAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        String[] probes = {
            "https://app.example.com", "https://shop.example.org", "https://a.b.example.org", "https://x.io"
        };
        boolean any = false;
        threads.getThreadAllocatedBytes(thread);
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            any |= origins.allows(probes[i & 3]);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(any).isTrue();
        assertThat(allocated).as("bytes allocated by 100,000 matches").isLessThan(10_000);
    }
}
