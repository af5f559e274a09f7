package dev.keyledger.edge.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.apikey.GeneratedApiKey;
import dev.keyledger.contracts.apikey.KeyCheck;
import dev.keyledger.contracts.kafka.ActiveKeyEntry;
import dev.keyledger.edge.MutableClock;
import dev.keyledger.edge.keys.ActiveKeyTable;
import dev.keyledger.edge.keys.ChangelogState;
import dev.keyledger.edge.keys.KeyEntryParser;
import dev.keyledger.edge.keys.KeyHashes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hot path's outcomes without HTTP, including the staleness bound. */
class VerifierTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final ActiveKeyTable table = new ActiveKeyTable();
    private final ChangelogState state =
            new ChangelogState(clock, Duration.ofMinutes(5).toMillis());
    private final Verifier verifier = new Verifier(table, state);
    private final KeyEntryParser parser = new KeyEntryParser();
    private GeneratedApiKey secret;
    private GeneratedApiKey expiring;

    @BeforeEach
    void fill() {
        secret = put(ApiKeyType.SECRET, null);
        expiring = put(ApiKeyType.SECRET, clock.instant().plusSeconds(60));
        state.applyHeartbeat(0, 1, clock.instant());
        state.markCaughtUp();
    }

    @Test
    void notCaughtUpIsUnavailable() {
        ChangelogState fresh = new ChangelogState(clock, 1000);
        assertThat(new Verifier(table, fresh)
                        .verify(secret.plaintext(), null, null, "/", now())
                        .outcome())
                .isEqualTo(Outcome.UNAVAILABLE);
    }

    @Test
    void heartbeatOlderThanTheBoundFailsClosed() {
        assertThat(outcome(secret.plaintext())).isEqualTo(Outcome.VERIFIED);

        clock.advance(Duration.ofMinutes(5).plusMillis(1));
        assertThat(outcome(secret.plaintext())).isEqualTo(Outcome.UNAVAILABLE);

        state.applyHeartbeat(0, 1, clock.instant());
        assertThat(outcome(secret.plaintext())).isEqualTo(Outcome.VERIFIED);
    }

    @Test
    void cheapChecksRejectWithoutLookup() {
        String valid = secret.plaintext();
        assertThat(outcome(null)).isEqualTo(Outcome.MISSING);
        assertThat(outcome("")).isEqualTo(Outcome.MALFORMED);
        assertThat(outcome("xk_" + valid.substring(3))).isEqualTo(Outcome.MALFORMED);
        assertThat(outcome(valid.substring(0, 66) + (valid.charAt(66) == '0' ? '1' : '0')))
                .isEqualTo(Outcome.BAD_CHECKSUM);
        assertThat(outcome(ApiKeyFormat.generate(ApiKeyType.SECRET).plaintext()))
                .isEqualTo(Outcome.UNKNOWN);
    }

    /**
     * The checksum is no proof of the alphabet (CRC32 is easy to forge): a key whose random part
     * holds a character outside base62 but whose checksum matches is malformed, as the contract
     * says, although the verifier checks that alphabet only after the table misses.
     */
    @Test
    void aForgedChecksumOverABadAlphabetIsMalformed() {
        String valid = secret.plaintext();
        for (char bad : new char[] {'_', '-', '.', ' '}) {
            String forged = KeyFormatCheckTest.withChecksum(valid.substring(0, 10) + bad + valid.substring(11));
            assertThat(ApiKeyFormat.check(forged)).isEqualTo(KeyCheck.MALFORMED);
            assertThat(KeyFormatCheck.checkBeforeLookup(forged, new byte[ApiKeyFormat.KEY_LENGTH]))
                    .as("the checksum matches, so only the lookup's miss tells")
                    .isEqualTo(KeyCheck.VALID_SECRET);
            assertThat(outcome(forged)).as(forged).isEqualTo(Outcome.MALFORMED);
        }
        String unknown = KeyFormatCheckTest.withChecksum(valid.substring(0, 10) + 'Z' + valid.substring(11));
        if (!unknown.equals(valid)) {
            assertThat(outcome(unknown)).isEqualTo(Outcome.UNKNOWN);
        }
    }

    @Test
    void expiredKeyIsRefusedFromItsExpiryInstant() {
        assertThat(outcome(expiring.plaintext())).isEqualTo(Outcome.VERIFIED);
        clock.advance(Duration.ofSeconds(60));
        assertThat(outcome(expiring.plaintext())).isEqualTo(Outcome.EXPIRED);
    }

    @Test
    void databaseIsReadFromThePath() {
        assertThat(Verifier.databaseInPath("/api/v1/databases/db_1/items")).isEqualTo("db_1");
        assertThat(Verifier.databaseInPath("/api/v1/databases/db_2")).isEqualTo("db_2");
        assertThat(Verifier.databaseInPath("/api/v1/databases/db_3?x")).isEqualTo("db_3");
        assertThat(Verifier.databaseInPath("/api/v1/databases/")).isNull();
        assertThat(Verifier.databaseInPath("/api/v1/items")).isNull();
    }

    private Outcome outcome(String key) {
        return verifier.verify(key, null, null, "/api/x", now()).outcome();
    }

    private long now() {
        return clock.millis();
    }

    private GeneratedApiKey put(ApiKeyType type, Instant expiresAt) {
        GeneratedApiKey key = ApiKeyFormat.generate(type);
        long[] hash = new long[4];
        KeyHashes.parseHex(key.hash(), hash);
        table.put(parser.parse(
                hash,
                new ActiveKeyEntry(
                        "key_" + key.lastFour(),
                        type.wireName(),
                        "org_1",
                        null,
                        "free",
                        10,
                        100,
                        List.of(),
                        expiresAt)));
        return key;
    }
}
