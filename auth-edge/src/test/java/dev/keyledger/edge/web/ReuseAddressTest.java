package dev.keyledger.edge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelOption;
import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServer;

class ReuseAddressTest {

    @Test
    void bindsWithReuseAddress() {
        HttpServer server = new ReuseAddress().apply(HttpServer.create());
        Object reuse = server.configuration().options().get(ChannelOption.SO_REUSEADDR);
        assertThat(reuse).isEqualTo(Boolean.TRUE);
    }
}
