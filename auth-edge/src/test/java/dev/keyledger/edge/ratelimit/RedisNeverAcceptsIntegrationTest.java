package dev.keyledger.edge.ratelimit;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Redis at a loopback port that never accepts a connection (backlog full, so a connect hangs). */
class RedisNeverAcceptsIntegrationTest extends UnresponsiveRedisLatencyTestBase {

    private static final UnresponsiveRedis REDIS = open();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        redisAt(registry, REDIS);
    }

    @AfterAll
    static void close() throws IOException {
        REDIS.close();
    }

    @Override
    String scenario() {
        return "never accepts";
    }

    private static UnresponsiveRedis open() {
        try {
            return UnresponsiveRedis.neverAccepting();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
