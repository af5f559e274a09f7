package dev.keyledger.edge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.edge.EdgeIntegrationTestBase;
import dev.keyledger.edge.TestKeys;
import dev.keyledger.edge.TestKeys.TestKey;
import dev.keyledger.edge.TestUpstream;
import dev.keyledger.edge.TestUpstream.Received;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** With the peer configured as a trusted proxy, its forwarding headers pass; identity still never does. */
@TestPropertySource(properties = "keyledger.proxy.trusted-proxies=10.0.0.0/8,127.0.0.0/8,::1")
class TrustedProxyIntegrationTest extends EdgeIntegrationTestBase {

    @Test
    void forwardingHeadersFromATrustedProxyPassAndForwardedForIsStillAppended() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 1000));
        String marker = UUID.randomUUID().toString();

        RawHttp.Answer answer = RawHttp.send(
                port,
                "GET",
                "/api/echo",
                List.of(
                        "X-API-Key: " + key.plaintext(),
                        TestUpstream.MARKER + ": " + marker,
                        "Forwarded: for=203.0.113.7;proto=https",
                        "X-Forwarded-For: 203.0.113.7",
                        "X-Forwarded-Host: api.example.com",
                        "X-Forwarded-Proto: https",
                        "X-Keyledger-Key-Id: key_forged"));

        assertThat(answer.status()).isEqualTo(200);
        Received received = TestUpstream.received(marker).getFirst();
        assertThat(received.header("Forwarded")).isEqualTo("for=203.0.113.7;proto=https");
        assertThat(received.header("X-Forwarded-Host")).isEqualTo("api.example.com");
        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(received.header("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(received.header("X-Keyledger-Key-Id")).isEqualTo(key.entry().keyId());
    }
}
