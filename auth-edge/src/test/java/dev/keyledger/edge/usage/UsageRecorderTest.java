package dev.keyledger.edge.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.usage.UsageOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * With Kafka unreachable every request is still spooled, until the bound: then fail-closed refuses
 * (record returns false, counted) and fail-open answers without counting (counted as dropped).
 */
class UsageRecorderTest {

    @TempDir
    Path dir;

    @Test
    void aFullSpoolFailsClosedByDefault() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        UsageRecorder recorder = recorder(dir.resolve("closed"), UsageProperties.WhenFull.FAIL_CLOSED, registry);
        recorder.start();
        try {
            int recorded = 0;
            int attempts = 0;
            for (; attempts < 20_000; attempts++) {
                if (recorder.record(
                        "key_" + attempts % 10, "org_1", UsageOutcome.ACCEPTED, System.currentTimeMillis())) {
                    recorded++;
                }
            }
            // Nothing leaves the spool before Kafka commits it (there is no broker here), and the
            // first standby exists from the open: the bound is two whole segments, then refusals.
            boolean accepted = recorder.record("key_1", "org_1", UsageOutcome.ACCEPTED, System.currentTimeMillis());
            attempts++;
            assertThat(accepted).as("the spool refuses once it is full").isFalse();
            assertThat(recorded).isBetween(6_000, 6_200); // 64 KB segments, 128 KB bound: 3,072 slots each
            assertThat(registry.counter("keyledger_edge_usage_spool_refused").count())
                    .isEqualTo(attempts - recorded);
            assertThat(registry.get("keyledger_edge_usage_spool_full").gauge().value())
                    .isEqualTo(1);
            assertThat(registry.get("keyledger_edge_usage_buffered").gauge().value())
                    .isEqualTo(recorded);
        } finally {
            recorder.stop();
        }
    }

    @Test
    void failOpenAnswersAndCountsTheLoss() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        UsageRecorder recorder = recorder(dir.resolve("open"), UsageProperties.WhenFull.FAIL_OPEN, registry);
        recorder.start();
        try {
            for (int i = 0; i < 20_000; i++) {
                assertThat(recorder.record("key_1", "org_1", UsageOutcome.ACCEPTED, System.currentTimeMillis()))
                        .isTrue();
            }
            assertThat(registry.counter("keyledger_edge_usage_dropped").count()).isGreaterThan(10_000);
        } finally {
            recorder.stop();
        }
    }

    private static UsageRecorder recorder(Path dir, UsageProperties.WhenFull whenFull, SimpleMeterRegistry registry) {
        return new UsageRecorder(
                new UsageProperties(
                        true,
                        "keyledger.key-usage",
                        Duration.ofMillis(50),
                        null,
                        Duration.ofMillis(200),
                        Duration.ofMillis(200),
                        new UsageProperties.Spool(
                                dir, DataSize.ofKilobytes(64), DataSize.ofKilobytes(128), whenFull, false)),
                Map.of("bootstrap.servers", "127.0.0.1:1"),
                registry);
    }
}
