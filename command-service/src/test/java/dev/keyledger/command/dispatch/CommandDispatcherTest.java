package dev.keyledger.command.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.web.WebProperties;
import dev.keyledger.contracts.kafka.Actor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class CommandDispatcherTest {

    private static CommandDispatcher dispatcher(boolean trustForwardedFor) {
        return new CommandDispatcher(null, new SimpleMeterRegistry(), new WebProperties(65536, trustForwardedFor));
    }

    private static MockHttpServletRequest request() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr("10.0.0.5");
        request.addHeader("X-Forwarded-For", "203.0.113.7, 10.0.0.1");
        request.addHeader("User-Agent", "portal/1.0");
        return request;
    }

    @Test
    void actorIpIsTheRemoteAddressByDefault() {
        assertThat(dispatcher(false).actor(request(), "alice")).isEqualTo(new Actor("alice", "10.0.0.5", "portal/1.0"));
    }

    @Test
    void actorIpIsTheFirstForwardedAddressWhenTrusted() {
        assertThat(dispatcher(true).actor(request(), "alice").ip()).isEqualTo("203.0.113.7");
    }

    @Test
    void longUserAgentIsCut() {
        MockHttpServletRequest request = request();
        request.removeHeader("User-Agent");
        request.addHeader("User-Agent", "x".repeat(5000));
        assertThat(dispatcher(false).actor(request, "alice").userAgent()).hasSize(512);
    }
}
