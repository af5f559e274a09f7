package dev.keyledger.edge.web;

import io.netty.channel.ChannelOption;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.http.server.HttpServer;

/**
 * Binds the edge's listeners with {@code SO_REUSEADDR}. After a SIGKILL under traffic the kernel
 * keeps the connections the dead process closed in TIME_WAIT for a minute, and without this option
 * Linux refuses a new listener on the port for as long: the restarted edge failed with "Port ...
 * was already in use". Tomcat sets the option itself; Reactor Netty as configured here did not.
 */
public final class ReuseAddress implements NettyServerCustomizer {

    @Override
    public HttpServer apply(HttpServer server) {
        return server.option(ChannelOption.SO_REUSEADDR, true);
    }
}
