package dev.keyledger.contracts.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AuditChainTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theHashIsSha256OfTheCanonicalEntryWithoutItsHash() throws Exception {
        var entry = JSON.readTree("{\"seq\":1,\"prev_hash\":\"" + AuditChain.GENESIS_PREV_HASH
                + "\",\"type\":\"organization.created\",\"hash\":\"ignored\"}");
        String canonical =
                "{\"prev_hash\":\"" + AuditChain.GENESIS_PREV_HASH + "\",\"seq\":1,\"type\":\"organization.created\"}";

        String hash = new AuditChain().hash(entry);

        assertThat(hash)
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(canonical.getBytes(StandardCharsets.UTF_8))));
        assertThat(AuditChain.isHash(hash)).isTrue();
        assertThat(AuditChain.isHash(hash.toUpperCase())).isFalse();
    }

    @Test
    void memberOrderAndWhitespaceDoNotChangeTheHash() throws Exception {
        AuditChain chain = new AuditChain();

        String a = chain.hash(JSON.readTree("{\"b\": [1, 2], \"a\": {\"y\": null, \"x\": true}}"));
        String b = chain.hash(JSON.readTree("{\"a\":{\"x\":true,\"y\":null},\"b\":[1,2]}"));
        String c = chain.hash(JSON.readTree("{\"a\":{\"x\":true,\"y\":null},\"b\":[2,1]}"));

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }
}
