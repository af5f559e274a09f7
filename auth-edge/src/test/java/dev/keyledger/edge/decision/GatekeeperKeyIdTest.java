package dev.keyledger.edge.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.apikey.GeneratedApiKey;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.id.PackedKeyId;
import dev.keyledger.contracts.kafka.ActiveKeyEntry;
import dev.keyledger.edge.MutableClock;
import dev.keyledger.edge.keys.ActiveKeyTable;
import dev.keyledger.edge.keys.ChangelogState;
import dev.keyledger.edge.keys.KeyEntryParser;
import dev.keyledger.edge.keys.KeyHashes;
import dev.keyledger.edge.ratelimit.InMemoryRateLimiter;
import dev.keyledger.edge.ratelimit.RateLimitDecision;
import dev.keyledger.edge.ratelimit.RateLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The key id on the decision path: a limiter that needs the text gets the changelog's text, the
 * same string the verdict gives the header and the usage spool (rendered once); the in-memory
 * limiter counts the packed id, in the same counters as the text.
 */
class GatekeeperKeyIdTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final ActiveKeyTable table = new ActiveKeyTable();
    private final ChangelogState state =
            new ChangelogState(clock, Duration.ofMinutes(5).toMillis());
    private final KeyEntryParser parser = new KeyEntryParser();

    /** Records the text it is given; counts nothing. */
    private static final class TextLimiter implements RateLimiter {
        final List<String> seen = new ArrayList<>();

        @Override
        public CompletionStage<RateLimitDecision> acquire(String keyId, long perMinute, long perDay) {
            seen.add(keyId);
            return java.util.concurrent.CompletableFuture.completedFuture(
                    RateLimitDecision.of(true, perMinute, 1, perDay, 1, 0));
        }

        @Override
        public CompletionStage<RateLimitDecision> peek(String keyId, long perMinute, long perDay) {
            return acquire(keyId, perMinute, perDay);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"packed", "key_legacy-1"})
    void aLimiterThatNeedsTheTextGetsTheChangelogsTextAndTheVerdictSharesIt(String form) {
        String id = form.equals("packed") ? Ids.newKeyId() : form;
        GeneratedApiKey key = put(id);
        TextLimiter limiter = new TextLimiter();

        Verdict verdict = gatekeeper(limiter)
                .decide(key.plaintext(), null, null, "/", 0)
                .toCompletableFuture()
                .join();

        assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(limiter.seen).containsExactly(id);
        assertThat(verdict.keyId()).isEqualTo(id).isSameAs(limiter.seen.getFirst());
    }

    @Test
    void theInMemoryLimiterCountsThePackedIdInTheTextsCounters() {
        String id = Ids.newKeyId();
        GeneratedApiKey key = put(id);
        InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);
        assertThat(limiter.countsPackedIds()).isTrue();
        Gatekeeper gatekeeper = gatekeeper(limiter);

        Verdict first = gatekeeper
                .decide(key.plaintext(), null, null, "/", 0)
                .toCompletableFuture()
                .join();
        limiter.acquireNow(id, 3, 100);
        Verdict third = gatekeeper
                .decide(key.plaintext(), null, null, "/", 0)
                .toCompletableFuture()
                .join();
        Verdict fourth = gatekeeper
                .decide(key.plaintext(), null, null, "/", 0)
                .toCompletableFuture()
                .join();

        assertThat(first.limit().remaining()).isEqualTo(2);
        assertThat(third.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(third.limit().remaining()).isZero();
        assertThat(fourth.outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(fourth.keyId()).isEqualTo(id);
        assertThat(limiter.acquireNow(PackedKeyId.of(id), 3, 100).allowed()).isFalse();
    }

    private Gatekeeper gatekeeper(RateLimiter limiter) {
        state.applyHeartbeat(0, 1, clock.instant());
        state.markCaughtUp();
        return new Gatekeeper(new Verifier(table, state), limiter, new EdgeMetrics(new SimpleMeterRegistry()), clock);
    }

    private GeneratedApiKey put(String keyId) {
        GeneratedApiKey key = ApiKeyFormat.generate(ApiKeyType.SECRET);
        long[] hash = new long[4];
        KeyHashes.parseHex(key.hash(), hash);
        table.put(
                parser.parse(hash, new ActiveKeyEntry(keyId, "secret", "org_1", null, "pro", 3, 100, List.of(), null)));
        return key;
    }
}
