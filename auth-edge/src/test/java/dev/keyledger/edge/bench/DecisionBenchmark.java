package dev.keyledger.edge.bench;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.apikey.GeneratedApiKey;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.ActiveKeyEntry;
import dev.keyledger.edge.decision.Verdict;
import dev.keyledger.edge.decision.Verifier;
import dev.keyledger.edge.keys.ActiveKeyTable;
import dev.keyledger.edge.keys.ChangelogState;
import dev.keyledger.edge.keys.KeyEntry;
import dev.keyledger.edge.keys.KeyEntryParser;
import dev.keyledger.edge.keys.KeyHashes;
import dev.keyledger.edge.ratelimit.InMemoryRateLimiter;
import dev.keyledger.edge.ratelimit.RateLimitDecision;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The in-process decision per request: format and checksum, SHA-256, lookup in a table of
 * {@code tableSize} keys, expiry, scope, origin and the in-memory rate limit. Run on one thread, so
 * the score is verifications per second per core. See {@code auth-edge/bench/jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecisionBenchmark {

    @Param({"100000"})
    int tableSize;

    private static final int PRESENTED = 1024;

    private Verifier verifier;
    private InMemoryRateLimiter limiter;
    private String[] secretKeys;
    private String[] publicKeys;
    private String[] forgedKeys;
    private int next;

    @Setup
    public void setUp() {
        Clock clock = Clock.systemUTC();
        ActiveKeyTable table = new ActiveKeyTable();
        KeyEntryParser parser = new KeyEntryParser();
        secretKeys = new String[PRESENTED];
        publicKeys = new String[PRESENTED];
        forgedKeys = new String[PRESENTED];
        long[] hash = new long[4];
        for (int i = 0; i < tableSize; i++) {
            boolean secret = i % 2 == 0;
            GeneratedApiKey key = ApiKeyFormat.generate(secret ? ApiKeyType.SECRET : ApiKeyType.PUBLIC);
            KeyHashes.parseHex(key.hash(), hash);
            table.put(parser.parse(
                    hash,
                    new ActiveKeyEntry(
                            Ids.newKeyId(), // the real form: packed in the entry, rendered per request
                            secret ? "secret" : "public",
                            "org_" + (i % 1000),
                            secret ? null : "db_" + (i % 5000),
                            "enterprise",
                            Long.MAX_VALUE,
                            Long.MAX_VALUE,
                            secret ? List.of() : List.of("https://app.example.com", "https://*.example.org"),
                            null)));
            int slot = i / 2;
            if (slot < PRESENTED) {
                (secret ? secretKeys : publicKeys)[slot] = key.plaintext();
                if (secret) {
                    char last = key.plaintext().charAt(66);
                    forgedKeys[slot] = key.plaintext().substring(0, 66) + (last == 'A' ? 'B' : 'A');
                }
            }
        }
        ChangelogState state = new ChangelogState(clock, Long.MAX_VALUE / 2);
        state.applyHeartbeat(0, 1, clock.instant());
        state.markCaughtUp();
        verifier = new Verifier(table, state);
        limiter = new InMemoryRateLimiter(clock);
    }

    @Benchmark
    public void secretKeyAccepted(Blackhole blackhole) {
        String key = secretKeys[next++ & (PRESENTED - 1)];
        blackhole.consume(decide(key, null));
    }

    @Benchmark
    public void publicKeyAcceptedFromWildcardOrigin(Blackhole blackhole) {
        String key = publicKeys[next++ & (PRESENTED - 1)];
        blackhole.consume(decide(key, "https://shop.example.org"));
    }

    @Benchmark
    public void forgedKeyRejectedWithoutLookup(Blackhole blackhole) {
        String key = forgedKeys[next++ & (PRESENTED - 1)];
        blackhole.consume(verifier.verify(key, null, null, "/api/v1/items", System.currentTimeMillis()));
    }

    private Object decide(String key, String origin) {
        long now = System.currentTimeMillis(); // as the Gatekeeper does: one clock read per request
        Verdict verdict = verifier.verify(key, origin, null, "/api/v1/items", now);
        KeyEntry entry = verdict.entry(); // and the packed id, no text rendered
        RateLimitDecision decision =
                limiter.acquireNow(entry.packedId(), entry.requestsPerMinute(), entry.requestsPerDay(), now);
        return decision.allowed() ? verdict : null;
    }
}
