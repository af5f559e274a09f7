package dev.keyledger.edge.ratelimit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
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

    /**
     * Every wait bounded: TCP connect and handshake by {@code connect-timeout}, each command by
     * {@code command-timeout}, reconnect back-off by {@code reconnect-delay-max}; commands are
     * rejected at once while disconnected rather than queued behind a reconnect.
     */
    static RedisRateLimiter redis(RateLimitProperties properties, Clock clock, MeterRegistry registry) {
        RedisURI uri = RedisURI.create(properties.redisUri());
        uri.setTimeout(properties.commandTimeout());
        ClientResources resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(
                        Duration.ofMillis(50), properties.reconnectDelayMax(), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(properties.commandTimeout()))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(properties.connectTimeout())
                        .keepAlive(true)
                        .build())
                .build());
        return new RedisRateLimiter(client, uri, resources, clock, properties, registry);
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
