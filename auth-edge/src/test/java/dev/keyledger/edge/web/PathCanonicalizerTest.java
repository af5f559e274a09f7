package dev.keyledger.edge.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The canonical form of CONTRACT.md "Request hygiene", case by case, without HTTP. */
class PathCanonicalizerTest {

    private final PathCanonicalizer canonicalizer = new PathCanonicalizer(List.of("/api/"));

    @ParameterizedTest(name = "{0} is already canonical")
    @ValueSource(
            strings = {
                "/",
                "/api/",
                "/api/v1/databases/db_01HX/items",
                "/api/v1/items/",
                "/api/v1/a:b@c!$&'()*+,=",
                "/api/v1/caf%C3%A9",
                "/api/v1/%F0%9F%94%91",
                "/api/v1/a%3Bb",
                "/api/v1/a%3Fb%23c",
                "/api/v1/%20",
                "/_keyledger/auth"
            })
    void canonicalPathsAreReturnedAsTheSameInstance(String path) {
        assertThat(canonicalizer.canonicalize(path)).isSameAs(path);
        assertThat(canonicalizer.isCanonical(path)).isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/api/v1/%64atabases/db_B/items, /api/v1/databases/db_B/items",
        "/api/v1/%44atabases/db_B, /api/v1/Databases/db_B",
        "/api/v1/%7e%2D%5f%2E, /api/v1/~-_.",
        "/api/v1/caf%c3%a9, /api/v1/caf%C3%A9",
        "/api/v1/a%3bb, /api/v1/a%3Bb",
        "/api/v1/databases/db_A/../db_B/items, /api/v1/databases/db_B/items",
        "/api/v1/./databases/db_B, /api/v1/databases/db_B",
        "/api/v1/databases/db_B/., /api/v1/databases/db_B/",
        "/api/v1/databases/db_B/.., /api/v1/databases/",
        "/api/v1/%2e/x, /api/v1/x",
        "/api/v1/a/%2E%2E/x, /api/v1/x",
        "/api/v1/a/.%2e/x, /api/v1/x",
        "/x/../api/v1, /api/v1",
        "/.., /",
        "/a/b/../../.., /",
        "/api/v1/.../x, /api/v1/.../x"
    })
    void nonCanonicalPathsAreCanonicalised(String raw, String canonical) {
        assertThat(canonicalizer.canonicalize(raw)).isEqualTo(canonical);
        assertThat(canonicalizer.isCanonical(raw)).isEqualTo(raw.equals(canonical));
        assertThat(canonicalizer.canonicalize(canonical)).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(
            strings = {
                "",
                "api/v1",
                "//api/v1",
                "/api//v1",
                "/api/v1//",
                "/api/v1/databases;x/db_B",
                "/api/v1;/x",
                "/api/v1/x;",
                "/api/v1/a%2Fb",
                "/api/v1/a%2fb",
                "/api/v1/a%5Cb",
                "/api/v1/a%5cb",
                "/api/v1/a\\b",
                "/api/v1/a%00b",
                "/api/v1/%2564atabases",
                "/api/v1/%zz",
                "/api/v1/%4",
                "/api/v1/%",
                "/api/v1/%G1",
                "/api/v1/%C3",
                "/api/v1/%C3/x",
                "/api/v1/%C3%28",
                "/api/v1/%80",
                "/api/v1/%C0%AF",
                "/api/v1/%E0%80%AF",
                "/api/v1/%ED%A0%80",
                "/api/v1/%F4%90%80%80",
                "/api/v1/%FF",
                "/api/v1/%C3a",
                "/api/v1/a b",
                "/api/v1/a|b",
                "/api/v1/a?b",
                "/api/v1/a#b",
                "/api/v1/\u00e9",
                "/api/v1/\u0001",
                "/api/..",
                "/api/../admin",
                "/api/v1/../../admin",
                "/api/%2e%2e/admin",
                "/api/../api/v1"
            })
    void malformedPathsAreRefused(String raw) {
        assertThat(canonicalizer.canonicalize(raw)).isNull();
        assertThat(canonicalizer.isCanonical(raw)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/v1/items", "/api/v1/a%3Bb", "/api/v1/%F0%9F%94%91/x/"})
    void theCanonicalFormIsAFixedPoint(String raw) {
        String once = canonicalizer.canonicalize(raw);
        assertThat(canonicalizer.canonicalize(once)).isEqualTo(once);
    }
}
