package dev.keyledger.edge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    @Test
    void noEntriesTrustNobody() {
        assertThat(new TrustedProxies(List.of()).trusts(peer("127.0.0.1"))).isFalse();
    }

    @Test
    void blankEntriesAreIgnored() {
        assertThat(new TrustedProxies(List.of("", " ")).isEmpty()).isTrue();
    }

    @Test
    void addressesAndBlocksMatchByPrefix() {
        TrustedProxies proxies =
                new TrustedProxies(List.of("10.1.0.0/16", "192.0.2.7", "2001:db8::/32", "172.16.0.0/12"));

        assertThat(proxies.trusts(peer("10.1.255.3"))).isTrue();
        assertThat(proxies.trusts(peer("10.2.0.1"))).isFalse();
        assertThat(proxies.trusts(peer("192.0.2.7"))).isTrue();
        assertThat(proxies.trusts(peer("192.0.2.8"))).isFalse();
        assertThat(proxies.trusts(peer("2001:db8:1::5"))).isTrue();
        assertThat(proxies.trusts(peer("2001:db9::5"))).isFalse();
        assertThat(proxies.trusts(peer("172.31.255.255"))).isTrue();
        assertThat(proxies.trusts(peer("172.32.0.0"))).isFalse();
        assertThat(proxies.trusts(null)).isFalse();
    }

    @Test
    void hostNamesAndBadBlocksAreRefusedAtStartup() {
        for (String bad : List.of("localhost", "cafe", "10.0.0.0/33", "10.0.0", "10.0.0.1/x", "/8", "::1/129")) {
            assertThatThrownBy(() -> new TrustedProxies(List.of(bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("trusted-proxies");
        }
    }

    private static InetSocketAddress peer(String literal) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), 40000);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
