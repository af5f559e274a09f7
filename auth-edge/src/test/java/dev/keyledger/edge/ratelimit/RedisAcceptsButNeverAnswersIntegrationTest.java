package dev.keyledger.edge.ratelimit;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Redis at a loopback port that accepts connections and never sends a byte. */
class RedisAcceptsButNeverAnswersIntegrationTest extends UnresponsiveRedisLatencyTestBase {

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
        return "accepts but never answers";
    }

    private static UnresponsiveRedis open() {
        try {
            return UnresponsiveRedis.acceptingSilently();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
