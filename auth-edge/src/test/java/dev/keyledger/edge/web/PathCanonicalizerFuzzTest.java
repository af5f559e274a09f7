package dev.keyledger.edge.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyledger.edge.FuzzInput;
import java.util.List;
import java.util.Locale;

/**
 * The path canonicaliser never throws, and what it lets through is canonical: idempotent, free of
 * empty, dot and dot-dot segments, of {@code ;}, encoded slashes, backslashes and NUL, and still under
 * the proxy prefix when the raw path was. Regression mode replays
 * {@code PathCanonicalizerFuzzTestInputs/}; {@code JAZZER_FUZZ=1} explores (docs/security.md).
 */
class PathCanonicalizerFuzzTest {

    private static final PathCanonicalizer CANONICALIZER = new PathCanonicalizer(List.of("/api/"));

    @FuzzTest(maxDuration = "60s")
    void canonicalPathsAreSafeAndStable(byte[] input) {
        String raw = FuzzInput.text(input);

        String canonical = CANONICALIZER.canonicalize(raw);

        if (canonical == null) {
            assertThat(CANONICALIZER.isCanonical(raw)).isFalse();
            return;
        }
        assertThat(CANONICALIZER.canonicalize(canonical)).isEqualTo(canonical);
        assertThat(CANONICALIZER.isCanonical(canonical)).isTrue();
        assertThat(canonical).startsWith("/");
        String upper = canonical.toUpperCase(Locale.ROOT);
        assertThat(canonical).doesNotContain("//");
        assertThat(canonical + "/").doesNotContain("/./").doesNotContain("/../");
        assertThat(canonical).doesNotContain(";").doesNotContain("\\").doesNotContain("\u0000");
        assertThat(upper)
                .doesNotContain("%2F")
                .doesNotContain("%5C")
                .doesNotContain("%00")
                .doesNotContain("%25");
        for (int i = 0; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            assertThat(c > 0x20 && c < 0x7f).as("printable ASCII at %d", i).isTrue();
        }
        if (raw.startsWith("/api/")) {
            assertThat(canonical).startsWith("/api/");
        }
    }
}
