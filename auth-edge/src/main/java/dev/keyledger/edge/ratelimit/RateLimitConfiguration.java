package dev.keyledger.edge.ratelimit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses the rate limiter from {@code keyledger.ratelimit.backend}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
class RateLimitConfiguration {

    @Bean(destroyMethod = "close")
    RateLimiterHolder rateLimiterHolder(RateLimitProperties properties, Clock clock, MeterRegistry registry) {
        if (properties.backend() == RateLimitProperties.Backend.REDIS) {
            return new RateLimiterHolder(redis(properties, clock, registry), null);
        }
        InMemoryRateLimiter memory = new InMemoryRateLimiter(clock);
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "rate-limit-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(memory::sweep, 1, 1, TimeUnit.MINUTES);
        return new RateLimiterHolder(memory, sweeper::shutdownNow);
    }

    @Bean
    RateLimiter rateLimiter(RateLimiterHolder holder) {
        return holder.limiter();
    }

    static RedisRateLimiter redis(RateLimitProperties properties, Clock clock, MeterRegistry registry) {
        RedisURI uri = RedisURI.create(properties.redisUri());
        uri.setTimeout(properties.commandTimeout());
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(properties.commandTimeout()))
                .build());
        return new RedisRateLimiter(client, clock, properties.failOpen(), properties.keyPrefix(), registry);
    }

    /** Owns the limiter's resources (Redis client or sweeper thread) so the context closes them. */
    record RateLimiterHolder(RateLimiter limiter, Runnable onClose) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (limiter instanceof AutoCloseable closeable) {
                closeable.close();
            }
            if (onClose != null) {
                onClose.run();
            }
        }
    }
}
