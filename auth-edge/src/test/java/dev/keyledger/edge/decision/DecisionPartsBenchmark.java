package dev.keyledger.edge.decision;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.apikey.GeneratedApiKey;
import dev.keyledger.contracts.apikey.KeyCheck;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.ActiveKeyEntry;
import dev.keyledger.edge.keys.ActiveKeyTable;
import dev.keyledger.edge.keys.ChangelogState;
import dev.keyledger.edge.keys.KeyEntry;
import dev.keyledger.edge.keys.KeyEntryParser;
import dev.keyledger.edge.keys.KeyHashes;
import dev.keyledger.edge.ratelimit.InMemoryRateLimiter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the nanoseconds of {@code DecisionBenchmark.secretKeyAccepted} go: each step of the secret
 * key's decision alone, in nanoseconds per call, over the same 100,000-key table and 1,024
 * presented keys. The steps do not add up exactly (the whole path shares caches and inlining), but
 * they show which step is worth working on. Run with {@code auth-edge/bench/jmh.sh --parts}; the
 * last results are in docs/benchmarks-edge.md, "Where the decision's time goes".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecisionPartsBenchmark {

    private static final int TABLE_SIZE = 100_000;
    private static final int PRESENTED = 1024;

    private Verifier verifier;
    private ActiveKeyTable table;
    private InMemoryRateLimiter limiter;
    private String[] secretKeys;
    private byte[][] secretBytes;
    private long[][] secretHashes;
    private KeyEntry[] secretEntries;
    private final byte[] buffer = new byte[ApiKeyFormat.KEY_LENGTH];
    private final long[] hash = new long[4];
    private long now;
    private int next;

    @Setup
    public void setUp() {
        Clock clock = Clock.systemUTC();
        table = new ActiveKeyTable();
        KeyEntryParser parser = new KeyEntryParser();
        secretKeys = new String[PRESENTED];
        secretBytes = new byte[PRESENTED][];
        secretHashes = new long[PRESENTED][];
        secretEntries = new KeyEntry[PRESENTED];
        for (int i = 0; i < TABLE_SIZE; i++) {
            GeneratedApiKey key = ApiKeyFormat.generate(ApiKeyType.SECRET);
            long[] keyHash = new long[4];
            KeyHashes.parseHex(key.hash(), keyHash);
            table.put(parser.parse(
                    keyHash,
                    new ActiveKeyEntry(
                            Ids.newKeyId(),
                            "secret",
                            "org_" + (i % 1000),
                            null,
                            "enterprise",
                            Long.MAX_VALUE,
                            Long.MAX_VALUE,
                            List.of(),
                            null)));
            if (i < PRESENTED) {
                secretKeys[i] = key.plaintext();
                secretBytes[i] = key.plaintext().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                secretHashes[i] = keyHash;
            }
        }
        for (int i = 0; i < PRESENTED; i++) {
            long[] h = secretHashes[i];
            secretEntries[i] = table.get(h[0], h[1], h[2], h[3]);
        }
        ChangelogState state = new ChangelogState(clock, Long.MAX_VALUE / 2);
        state.applyHeartbeat(0, 1, clock.instant());
        state.markCaughtUp();
        verifier = new Verifier(table, state);
        limiter = new InMemoryRateLimiter(clock);
        now = System.currentTimeMillis();
    }

    private int slot() {
        return next++ & (PRESENTED - 1);
    }

    /** The wall clock read (System.currentTimeMillis, as Clock.systemUTC().millis() does). */
    @Benchmark
    public long clockRead() {
        return System.currentTimeMillis();
    }

    /** The format check the verifier runs before the hash: length, ASCII, prefix and CRC32 checksum, copying the key into the byte buffer. */
    @Benchmark
    public KeyCheck formatBeforeLookup() {
        return KeyFormatCheck.checkBeforeLookup(secretKeys[slot()], buffer);
    }

    /** The whole contract check: {@link #formatBeforeLookup} and the alphabet of the random part (the verifier's path on a miss). */
    @Benchmark
    public KeyCheck formatExact() {
        return KeyFormatCheck.check(secretKeys[slot()], buffer);
    }

    /** SHA-256 of the 67 key bytes into four longs (two compression blocks). */
    @Benchmark
    public long sha256() {
        KeyHashes.sha256(secretBytes[slot()], ApiKeyFormat.KEY_LENGTH, hash);
        return hash[0];
    }

    /** One lookup in the 100,000-key table by a known hash. */
    @Benchmark
    public KeyEntry tableLookup() {
        long[] h = secretHashes[slot()];
        return table.get(h[0], h[1], h[2], h[3]);
    }

    /** The in-memory rate limit of a found key, at a time already read. */
    @Benchmark
    public boolean rateLimit() {
        KeyEntry entry = secretEntries[slot()];
        return limiter.acquireNow(entry.packedId(), entry.requestsPerMinute(), entry.requestsPerDay(), now)
                .allowed();
    }

    /** The verifier alone (no rate limit), at a time already read. */
    @Benchmark
    public Outcome verify() {
        return verifier.verify(secretKeys[slot()], null, null, "/api/v1/items", now)
                .outcome();
    }

    /** The whole decision as {@code DecisionBenchmark.secretKeyAccepted}, per call. */
    @Benchmark
    public Object wholeDecision() {
        long millis = System.currentTimeMillis();
        Verdict verdict = verifier.verify(secretKeys[slot()], null, null, "/api/v1/items", millis);
        KeyEntry entry = verdict.entry();
        return limiter.acquireNow(entry.packedId(), entry.requestsPerMinute(), entry.requestsPerDay(), millis)
                        .allowed()
                ? verdict
                : null;
    }
}
