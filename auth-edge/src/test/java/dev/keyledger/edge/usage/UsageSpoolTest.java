package dev.keyledger.edge.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyledger.contracts.usage.UsageCount;
import dev.keyledger.contracts.usage.UsageOutcome;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool on its own: append and read back, rotation, replay after a restart, torn slots, a full bound. */
class UsageSpoolTest {

    private static final int SEGMENT = 64 * 1024;
    private static final long T = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void readsBackWhatWasAppendedAggregatedPerKeyMinuteAndOutcome() {
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, 8L * SEGMENT)) {
            for (int i = 0; i < 100; i++) {
                assertThat(spool.append("key_" + (i % 3), "org_1", outcome(i), T + i * 1000L))
                        .isTrue();
            }
            UsageAggregation aggregation = new UsageAggregation();
            UsageSpool.ReadStats stats = new UsageSpool.ReadStats();
            long from = spool.control().committed();
            long to = spool.read(from, Long.MAX_VALUE, Long.MAX_VALUE, aggregation, stats);
            assertThat(stats.records).isEqualTo(100);
            assertThat(SpoolPosition.slot(to) - SpoolPosition.slot(from)).isEqualTo(100);
            List<UsageCount> rows = rows(aggregation, from, to, 3);
            assertThat(rows.stream().mapToLong(UsageCount::total).sum()).isEqualTo(100);
            assertThat(rows.stream().mapToLong(UsageCount::accepted).sum()).isEqualTo(countAccepted(0, 100));
            assertThat(rows).allSatisfy(row -> assertThat(row.minute() % 60).isZero());
            // Minutes: 100 s of traffic from T spans two or three UTC minutes per key.
            assertThat(rows).extracting(UsageCount::keyId).contains("key_0", "key_1", "key_2");
        }
    }

    @Test
    void rotatesIntoNewSegmentsAndReleasesTheAcknowledgedOnes() throws IOException {
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, 16L * SEGMENT)) {
            int records = 0;
            for (int round = 0; round < 5; round++) {
                spool.prepareStandby();
                for (int i = 0; i < 2_000; i++) {
                    assertThat(spool.append("key_" + i % 50, "org_1", UsageOutcome.ACCEPTED, T))
                            .isTrue();
                    records++;
                }
            }
            assertThat(segmentFiles()).hasSizeGreaterThan(2);
            UsageAggregation aggregation = new UsageAggregation();
            UsageSpool.ReadStats stats = new UsageSpool.ReadStats();
            long to = spool.read(spool.control().committed(), Long.MAX_VALUE, Long.MAX_VALUE, aggregation, stats);
            assertThat(stats.records).isEqualTo(records);
            spool.control().skip(to);
            spool.release(to);
            assertThat(segmentFiles()).hasSizeLessThanOrEqualTo(2); // the current one and maybe a standby
            assertThat(spool.pendingRecords(to)).isZero();
        }
    }

    @Test
    void aRestartReplaysFromTheCommittedPositionAndSkipsTornSlots() throws IOException {
        long committed;
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, 8L * SEGMENT)) {
            for (int i = 0; i < 30; i++) {
                spool.append("key_a", "org_1", UsageOutcome.ACCEPTED, T + i);
            }
            // The first 10 are acknowledged.
            UsageSpool.ReadStats stats = new UsageSpool.ReadStats();
            committed = spool.read(spool.control().committed(), Long.MAX_VALUE, 10, new UsageAggregation(), stats);
            spool.control().skip(committed);
        }
        // A request thread claimed slot 20 and the process died before it committed: zero its commit word.
        tear(segmentFiles().get(0), 20);

        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, 8L * SEGMENT)) {
            assertThat(spool.control().committed()).isEqualTo(committed);
            assertThat(spool.recoveredRecords()).isEqualTo(20); // slots 10..29, the torn one included
            spool.append("key_a", "org_1", UsageOutcome.RATE_LIMITED, T + 100);
            UsageAggregation aggregation = new UsageAggregation();
            UsageSpool.ReadStats stats = new UsageSpool.ReadStats();
            long to = spool.read(committed, Long.MAX_VALUE, Long.MAX_VALUE, aggregation, stats);
            assertThat(stats.records).isEqualTo(19 + 1);
            assertThat(stats.skipped).isEqualTo(1);
            List<UsageCount> rows = rows(aggregation, committed, to, 1);
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).accepted()).isEqualTo(19);
            assertThat(rows.get(0).rateLimited()).isEqualTo(1);
            assertThat(rows.get(0).lastAcceptedMillis()).isEqualTo(T + 29);
        }
    }

    @Test
    void anUnfinishedSendIsRebuiltIdenticallyAfterARestart() {
        SpoolControl.Intent intent;
        List<UsageAggregation.Addressed> first;
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, 8L * SEGMENT)) {
            for (int i = 0; i < 500; i++) {
                spool.append("key_" + i % 37, "org_" + i % 3, outcome(i), T + i * 997L);
            }
            long from = spool.control().committed();
            UsageAggregation aggregation = new UsageAggregation();
            long to = spool.read(from, Long.MAX_VALUE, Long.MAX_VALUE, aggregation, new UsageSpool.ReadStats());
            first = aggregation.reports(spool.instance(), spool.control().nextSequence(), from, to, 6);
            intent = new SpoolControl.Intent(from, to, 6, spool.control().nextSequence(), first.size());
            spool.control().begin(intent, false);
            // more traffic after the intent, then the process dies (no commit)
            for (int i = 0; i < 50; i++) {
                spool.append("key_x", "org_9", UsageOutcome.ACCEPTED, T);
            }
        }
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, 8L * SEGMENT)) {
            SpoolControl.Intent pending = spool.control().pending();
            assertThat(pending).isEqualTo(intent);
            UsageAggregation aggregation = new UsageAggregation();
            spool.read(pending.from(), pending.to(), Long.MAX_VALUE, aggregation, new UsageSpool.ReadStats());
            assertThat(aggregation.reports(spool.instance(), pending.firstSequence(), pending.from(), pending.to(), 6))
                    .isEqualTo(first);
            spool.control().commit(pending, false);
            UsageAggregation rest = new UsageAggregation();
            spool.read(spool.control().committed(), Long.MAX_VALUE, Long.MAX_VALUE, rest, new UsageSpool.ReadStats());
            assertThat(rest.records()).isEqualTo(50);
            assertThat(spool.control().nextSequence()).isEqualTo(intent.firstSequence() + intent.count());
        }
    }

    @Test
    void aFreshSpoolHoldsItsWholeBoundBeforeAnySenderHasRun() {
        // No prepareStandby here: an edge answers requests before its sender thread has built its
        // Kafka producer, and the first segment filling then must not refuse while the bound has room.
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, 2L * SEGMENT)) {
            int accepted = 0;
            while (spool.append("key_a", "org_1", UsageOutcome.ACCEPTED, T) && accepted < 1_000_000) {
                accepted++;
            }
            assertThat(accepted).isBetween(6_000, 6_200); // two segments of 3,072 slots each
            assertThat(spool.full()).isTrue();
        }
    }

    @Test
    void aFullSpoolRefusesUntilSpaceIsReleased() {
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, 2L * SEGMENT)) {
            spool.prepareStandby();
            int accepted = 0;
            while (spool.append("key_a", "org_1", UsageOutcome.ACCEPTED, T) && accepted < 1_000_000) {
                accepted++;
            }
            assertThat(accepted).isBetween(2_000, 10_000); // two segments of 3,072 slots each
            assertThat(spool.full()).isTrue();
            assertThat(spool.append("key_a", "org_1", UsageOutcome.ACCEPTED, T)).isFalse();

            UsageSpool.ReadStats stats = new UsageSpool.ReadStats();
            long to = spool.read(
                    spool.control().committed(), Long.MAX_VALUE, Long.MAX_VALUE, new UsageAggregation(), stats);
            assertThat(stats.records).isEqualTo(accepted);
            spool.control().skip(to);
            spool.release(to);
            spool.prepareStandby();
            assertThat(spool.full()).isFalse();
            assertThat(spool.append("key_a", "org_1", UsageOutcome.ACCEPTED, T)).isTrue();
        }
    }

    @Test
    void oneProcessPerSpoolDirectory() {
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, 8L * SEGMENT)) {
            assertThatThrownBy(() -> UsageSpool.open(dir, SEGMENT, 8L * SEGMENT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another edge process");
        }
    }

    @Test
    void theInstanceIdSurvivesRestarts() {
        String instance;
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, 8L * SEGMENT)) {
            instance = spool.instance();
            assertThat(instance).startsWith("edge_").hasSize(31);
        }
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, 8L * SEGMENT)) {
            assertThat(spool.instance()).isEqualTo(instance);
        }
    }

    private static UsageOutcome outcome(int i) {
        return i % 5 == 4 ? UsageOutcome.RATE_LIMITED : i % 7 == 6 ? UsageOutcome.FORBIDDEN : UsageOutcome.ACCEPTED;
    }

    private static long countAccepted(int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            n += outcome(i) == UsageOutcome.ACCEPTED ? 1 : 0;
        }
        return n;
    }

    private static List<UsageCount> rows(UsageAggregation aggregation, long from, long to, int partitions) {
        return aggregation.reports("edge_test", 1, from, to, partitions).stream()
                .flatMap(report -> report.report().rows().stream())
                .toList();
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("segment-"))
                    .sorted()
                    .toList();
        }
    }

    /** Zeroes the commit word of a slot: what a process killed between claiming and committing leaves. */
    private static void tear(Path segment, int slot) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            int dictionary = Integer.reverseBytes(readIntAt(file, 16));
            if (ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN) {
                dictionary = readIntAt(file, 16);
            }
            long at = SpoolSegment.HEADER_BYTES + dictionary + (long) slot * SpoolSegment.RECORD_BYTES + 12;
            file.seek(at);
            file.writeInt(0);
        }
    }

    private static int readIntAt(RandomAccessFile file, long at) throws IOException {
        file.seek(at);
        return file.readInt();
    }
}
