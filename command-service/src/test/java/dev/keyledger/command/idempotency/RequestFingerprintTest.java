package dev.keyledger.command.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestFingerprintTest {

    private static byte[] of(String method, String path, String body) {
        return RequestFingerprint.of(method, path, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void memberOrderAndWhiteSpaceDoNotMakeAnotherRequest() {
        assertThat(of("POST", "/p", "{\"name\":\"CI\",\"expires_at\":null}"))
                .isEqualTo(of("POST", "/p", "{ \"expires_at\" : null,\n \"name\" : \"CI\" }"));
        assertThat(of("POST", "/p", "{\"a\":{\"y\":1,\"x\":[2,1]}}"))
                .isEqualTo(of("POST", "/p", "{\"a\":{\"x\":[2,1],\"y\":1}}"));
    }

    @Test
    void anotherValueMethodPathOrArrayOrderIsAnotherRequest() {
        byte[] base = of("POST", "/p", "{\"name\":\"CI\",\"list\":[1,2]}");
        assertThat(of("POST", "/p", "{\"name\":\"CD\",\"list\":[1,2]}")).isNotEqualTo(base);
        assertThat(of("POST", "/p", "{\"name\":\"CI\",\"list\":[2,1]}")).isNotEqualTo(base);
        assertThat(of("POST", "/q", "{\"name\":\"CI\",\"list\":[1,2]}")).isNotEqualTo(base);
        assertThat(of("PUT", "/p", "{\"name\":\"CI\",\"list\":[1,2]}")).isNotEqualTo(base);
        assertThat(of("POST", "/p", "{\"name\":\"CI\",\"list\":[1,2],\"x\":null}"))
                .isNotEqualTo(base);
    }

    @Test
    void aBodyThatIsNotOneJsonValueIsHashedAsItsBytes() {
        for (String raw : new String[] {"{", "{\"a\":1,\"a\":2}", "{} trailing", "[".repeat(100_000), ""}) {
            assertThat(RequestFingerprint.canonical(raw.getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(raw.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(of("POST", "/p", "{\"a\":1,\"a\":2}")).isNotEqualTo(of("POST", "/p", "{\"a\":2}"));
    }

    @Test
    void partsAreLengthPrefixedSoTheyCannotShiftIntoEachOther() {
        assertThat(RequestFingerprint.scope("ab", "c")).isNotEqualTo(RequestFingerprint.scope("a", "bc"));
        assertThat(RequestFingerprint.scope("alice", null)).isEqualTo(RequestFingerprint.scope("alice", ""));
        assertThat(of("POST", "/pa", "")).isNotEqualTo(of("POS", "T/pa", ""));
    }
}
