package dev.keyledger.query.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.usage.UsageCount;
import dev.keyledger.contracts.usage.UsageOutcome;
import dev.keyledger.contracts.usage.UsageReportCodec;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.UsageEvents;
import dev.keyledger.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Usage ingest, exactly once. Runs only when {@code keyledger.benchmark.usage.events} is set (see
 * {@code query-service/bench/usage-benchmark.sh}). Three phases against the real projection:
 *
 * <ol>
 *   <li>delay: records written at a steady rate with {@code occurred_at} = the moment they are sent;
 *       the delay from {@code occurred_at} to the commit that made {@code last_used_at} visible is
 *       read from the projection's {@code keyledger_usage_commit_delay} histogram (bucket counts
 *       before and after the phase, so the figures are upper bounds of the bucket holding p50/p99);
 *   <li>backlog: the consumer is stopped, that many records are written, the consumer is started
 *       and timed until every record is committed;
 *   <li>sustained: records written at the target rate for a while with the consumer running; the
 *       time to catch up after the last write, and the delays, are reported.
 * </ol>
 *
 * Finally the counters of the benchmark organization must equal the accepted records sent.
 */
@EnabledIfSystemProperty(named = "keyledger.benchmark.usage.events", matches = "\\d+")
class UsageIngestBenchmarkIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final int KEYS = Integer.getInteger("keyledger.benchmark.usage.keys", 1_000);

    @Autowired
    MeterRegistry registry;

    @Autowired
    ApplicationContext context;

    private final String org = Ids.newOrganizationId();
    private final List<String> keys = new ArrayList<>();
    // Written by the producing thread only; volatile so that the steady-window sampler reads it.
    private volatile long sent;
    private long accepted;

    @Test
    void ingestRateAndDelay() throws Exception {
        for (int k = 0; k < KEYS; k++) {
            keys.add(Ids.newKeyId());
        }
        long backlog = Long.getLong("keyledger.benchmark.usage.events");
        int delayRate = Integer.getInteger("keyledger.benchmark.usage.delay-rate", 10_000);
        int sustainedRate = Integer.getInteger("keyledger.benchmark.usage.sustained-rate", 50_000);
        int seconds = Integer.getInteger("keyledger.benchmark.usage.seconds", 30);
        SmartLifecycle runner = context.getBean("usageProjectionRunner", SmartLifecycle.class);
        Timer delay = registry.get("keyledger_usage_commit_delay").timer();
        StringBuilder report = new StringBuilder();
        awaitUsageCounted();

        try (UsageEvents usage = new UsageEvents(TestInfrastructure.kafkaBootstrapServers())) {
            // Warm-up (JIT, connection pool, first buckets), not measured.
            pace(usage, delayRate, Math.max(5, seconds / 3));
            awaitUsageCounted(Duration.ofMinutes(5));
            report.append("load average before: ").append(loadAverage()).append('\n');

            // 1. Delay at a steady rate.
            CountAtBucket[] before = delay.takeSnapshot().histogramCounts();
            long paced = pace(usage, delayRate, seconds);
            awaitUsageCounted(Duration.ofMinutes(5));
            report.append(String.format(
                    "delay phase: %d records at %d/s for %d s; occurred_at -> commit: %s%n",
                    paced,
                    delayRate,
                    seconds,
                    percentiles(before, delay.takeSnapshot().histogramCounts())));

            // 2. Backlog drain.
            runner.stop();
            long writeStart = System.nanoTime();
            for (long i = 0; i < backlog; i++) {
                send(usage, Instant.now());
            }
            flushRows(usage);
            usage.flush();
            double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
            long drainStart = System.nanoTime();
            runner.start();
            awaitUsageCounted(Duration.ofMinutes(30));
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            requireMeasured("backlog", backlog, drainSeconds);
            report.append(String.format(
                    "backlog phase: %d records written in %.1f s with the consumer stopped; counted exactly once"
                            + " in %.2f s after start: %.0f records/s%n",
                    backlog, writeSeconds, drainSeconds, backlog / drainSeconds));

            // 3. Sustained rate with the consumer running.
            before = delay.takeSnapshot().histogramCounts();
            // The steady window: the commits seen from a third of the phase to the last write. The
            // counters move only at a commit (hundreds of thousands of records at once), so the rate
            // is taken between the first and the last commit in the window, and the distance behind
            // the producer right after each of them (a consumer that keeps up counts the offered
            // rate and stays the same distance behind). Sampled every 10 ms on a thread of its own.
            long sent0 = sent;
            long counted0 = countedRequests();
            List<long[]> commits = new ArrayList<>();
            AtomicBoolean producing = new AtomicBoolean(true);
            long windowFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) / 3;
            Thread sampler = new Thread(
                    () -> {
                        long last = countedRequests();
                        while (producing.get()) {
                            long now = System.nanoTime();
                            long counted = countedRequests();
                            if (counted != last && now >= windowFrom) {
                                commits.add(new long[] {now, counted - counted0, sent - sent0});
                            }
                            last = counted;
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                        }
                    },
                    "steady-window");
            sampler.start();
            long sustainedStart = System.nanoTime();
            long sustained;
            try {
                sustained = pace(usage, sustainedRate, seconds);
            } finally {
                producing.set(false);
                sampler.join();
            }
            double writing = (System.nanoTime() - sustainedStart) / 1e9;
            if (commits.size() < 2) {
                throw new AssertionError(
                        "the steady window saw " + commits.size() + " commits; it needs two (a longer PHASE_SECONDS)");
            }
            long[] first = commits.get(0);
            long[] last = commits.get(commits.size() - 1);
            double window = (last[0] - first[0]) / 1e9;
            requireMeasured("sustained steady window", last[1] - first[1], window);
            long catchUpStart = System.nanoTime();
            awaitUsageCounted(Duration.ofMinutes(10));
            double catchUp = (System.nanoTime() - catchUpStart) / 1e9;
            requireMeasured("sustained", sustained, writing);
            report.append(String.format(
                    "sustained phase: %d records offered at %d/s, written in %.1f s (%.0f/s achieved by the"
                            + " producer); all counted %.2f s after the last write (%.0f records/s end to end);"
                            + " occurred_at -> commit: %s%n",
                    sustained,
                    sustainedRate,
                    writing,
                    sustained / writing,
                    catchUp,
                    sustained / (writing + catchUp),
                    percentiles(before, delay.takeSnapshot().histogramCounts())));
            report.append(String.format(
                    "sustained steady window: %.1f s between the first and the last of %d commits after a third"
                            + " of the phase; counted %.0f records/s exactly once while %.0f/s were offered; behind"
                            + " the producer by %d records after the first commit and %d at its end (after the"
                            + " last)%n",
                    window,
                    commits.size(),
                    (last[1] - first[1]) / window,
                    (last[2] - first[2]) / window,
                    first[2] - first[1],
                    last[2] - last[1]));
        }

        long counted = jdbc.queryForObject(
                "SELECT sum(usage_count) FROM key_usage WHERE organization_id = ?", Long.class, org);
        long total = jdbc.queryForObject(
                "SELECT sum(usage_count + rejected_count) FROM key_usage WHERE organization_id = ?", Long.class, org);
        long dayRequests = jdbc.queryForObject(
                "SELECT sum(d.requests) FROM key_usage_days d JOIN key_usage u ON u.key_id = d.key_id"
                        + " WHERE u.organization_id = ?",
                Long.class,
                org);
        assertThat(counted).isEqualTo(accepted);
        assertThat(total).isEqualTo(sent);
        assertThat(dayRequests).isEqualTo(accepted);
        report.append(String.format(
                "exactly once: %d records sent (%d accepted), usage_count sum %d, day-bucket requests sum %d,"
                        + " %d keys%n",
                sent, accepted, counted, dayRequests, KEYS));
        Map<Integer, Long> end = endOffsets(Topics.KEY_USAGE);
        report.append("usage topic end offsets: ").append(end).append('\n');
        report.append("load average after: ").append(loadAverage()).append('\n');
        System.out.print(report);
        Files.writeString(Path.of("target", "benchmark-usage.txt"), report.toString());
    }

    private void send(UsageEvents usage, Instant at) {
        long n = sent++;
        UsageOutcome outcome = n % 20 == 7 ? UsageOutcome.RATE_LIMITED : UsageOutcome.ACCEPTED;
        if (outcome == UsageOutcome.ACCEPTED) {
            accepted++;
        }
        // Rows as an edge sends them: in reports of up to 4,000; here every request is a row of its
        // own (a distinct key and minute per request, the least an edge's aggregation can save).
        rows.add(UsageEvents.event(org, keys.get((int) (n % keys.size())), at, outcome));
        if (rows.size() == UsageReportCodec.MAX_ROWS) {
            flushRows(usage);
        }
    }

    private final List<UsageCount> rows = new ArrayList<>();

    private void flushRows(UsageEvents usage) {
        if (!rows.isEmpty()) {
            usage.send(List.copyOf(rows));
            rows.clear();
        }
    }

    /** Requests the usage projection has counted so far, all outcomes (its own counters). */
    private long countedRequests() {
        return Math.round(registry.find("keyledger_usage_events").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum());
    }

    /** A phase that measured nothing fails the benchmark instead of printing a figure. */
    private static void requireMeasured(String phase, long records, double seconds) {
        if (records <= 0 || !(seconds > 0)) {
            throw new AssertionError(phase + " phase measured nothing (" + records + " records in " + seconds + " s)");
        }
    }

    /** Writes {@code rate} records per second for {@code seconds}, in 10 ms slices. */
    private long pace(UsageEvents usage, int rate, int seconds) {
        long slice = TimeUnit.MILLISECONDS.toNanos(10);
        int perSlice = Math.max(1, rate / 100);
        long slices = seconds * 100L;
        long start = System.nanoTime();
        long count = 0;
        for (long s = 0; s < slices; s++) {
            long due = start + s * slice;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            for (int i = 0; i < perSlice; i++) {
                send(usage, Instant.now());
                count++;
            }
            if (s % 20 == 19) {
                flushRows(usage); // at most 200 ms in the buffer, like an edge's flush interval
            }
        }
        flushRows(usage);
        usage.flush();
        requireMeasured("paced", count, (System.nanoTime() - start) / 1e9);
        return count;
    }

    /** p50, p90, p99 and max from the difference of two cumulative histograms (bucket upper bounds). */
    private static String percentiles(CountAtBucket[] before, CountAtBucket[] after) {
        double[] bounds = new double[after.length];
        double[] counts = new double[after.length];
        for (int i = 0; i < after.length; i++) {
            bounds[i] = after[i].bucket(TimeUnit.MILLISECONDS);
            counts[i] = after[i].count() - (i < before.length ? before[i].count() : 0);
        }
        double total = counts[counts.length - 1];
        StringBuilder result = new StringBuilder();
        for (double p : new double[] {0.5, 0.9, 0.99, 0.999}) {
            double bound = Double.NaN;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] >= p * total) {
                    bound = bounds[i];
                    break;
                }
            }
            result.append(String.format("p%s <= %.1f ms, ", trim(p * 100), bound));
        }
        return result.append(String.format("%.0f delays recorded", total)).toString();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
