package dev.keyledger.edge.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.usage.UsageOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With Kafka unreachable the buffer fills and the overflow is counted: recording returned for every
 * one of 10,000 requests while the producer thread was stuck on metadata.
 */
class UsageRecorderTest {

    @Test
    void fullBufferDropsAndCountsWithoutBlocking() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        UsageRecorder recorder = new UsageRecorder(
                new UsageProperties(true, "keyledger.key-usage", 16, Duration.ofMillis(5), Duration.ofSeconds(2)),
                Map.of("bootstrap.servers", "127.0.0.1:1"),
                registry);
        recorder.start();
        try {
            for (int i = 0; i < 10_000; i++) {
                recorder.record(sample(i));
            }

            double dropped = registry.counter("keyledger_edge_usage_dropped").count();
            assertThat(dropped).isGreaterThanOrEqualTo(10_000 - 16 - 512);
        } finally {
            recorder.stop();
        }
    }

    private static UsageSample sample(int i) {
        return new UsageSample(
                System.currentTimeMillis(),
                "key_" + i,
                "org_1",
                null,
                "secret",
                UsageOutcome.ACCEPTED,
                "GET",
                "/api/x",
                200,
                10);
    }
}
