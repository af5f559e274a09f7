package dev.keyledger.servicekit.securitylog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "203.0.113.7", "::1", "0:0:0:0:0:0:0:1", "2001:db8::7", "::ffff:192.0.2.1"})
    void ipLiteralsAreAddresses(String value) {
        assertThat(ClientAddress.ipLiteral(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "1",
                "localhost",
                "203.0.113.7 ",
                "<script>",
                "fe80::1%eth0",
                "1111:2222:3333:4444:5555:6666:7777:8888:9999:0000:1111",
                "deadbeef"
            })
    void anythingElseIsNot(String value) {
        assertThat(ClientAddress.ipLiteral(value)).isFalse();
    }
}
