package dev.keyledger.edge.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The backend setting picks the implementation behind the one {@link RateLimiter} interface. */
class RateLimitConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(RateLimitConfiguration.class)
            .withBean(Clock.class, Clock::systemUTC)
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void inMemoryByDefault() {
        runner.run(context -> assertThat(context).getBean(RateLimiter.class).isInstanceOf(InMemoryRateLimiter.class));
    }

    @Test
    void redisWhenConfigured() {
        runner.withPropertyValues(
                        "keyledger.ratelimit.backend=redis", "keyledger.ratelimit.redis-uri=redis://127.0.0.1:1")
                .run(context -> assertThat(context).getBean(RateLimiter.class).isInstanceOf(RedisRateLimiter.class));
    }
}
