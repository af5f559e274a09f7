package dev.keyledger.query.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.usage.UsageOutcome;
import dev.keyledger.query.support.UsageEvents;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageBatchTest {

    private static final Instant T = Instant.parse("2026-11-26T10:15:30.250Z");

    private final UsageBatch batch = new UsageBatch(Instant.parse("2026-11-20T00:00:00Z"), Instant.EPOCH);

    @Test
    void foldsAPollIntoOneRowPerKeyAndBucket() {
        batch.add(UsageEvents.event("org_a", "key_a", T, UsageOutcome.ACCEPTED));
        batch.add(UsageEvents.event("org_a", "key_a", T.plusSeconds(20), UsageOutcome.ACCEPTED));
        batch.add(UsageEvents.event("org_a", "key_a", T.plusSeconds(40), UsageOutcome.RATE_LIMITED));
        batch.add(UsageEvents.event("org_a", "key_b", T.minusSeconds(5), UsageOutcome.FORBIDDEN));

        UsageBatch.KeyTotals a = batch.keys().get("key_a");
        assertThat(a.accepted).isEqualTo(2);
        assertThat(a.rejected).isEqualTo(1);
        assertThat(a.lastUsedAt()).isEqualTo(T.plusSeconds(20));
        assertThat(batch.keys().get("key_b").lastUsedAt()).isNull();
        long minute = Instant.parse("2026-11-26T10:15:00Z").getEpochSecond();
        assertThat(batch.minutes().get(new UsageBatch.Bucket("key_a", minute)).accepted)
                .isEqualTo(2);
        assertThat(batch.minutes().get(new UsageBatch.Bucket("key_a", minute + 60)).rejected)
                .isEqualTo(1);
        long hour = Instant.parse("2026-11-26T10:00:00Z").getEpochSecond();
        assertThat(batch.hours().get(new UsageBatch.Bucket("key_a", hour)).accepted)
                .isEqualTo(2);
        long day = Instant.parse("2026-11-26T00:00:00Z").getEpochSecond();
        assertThat(batch.days()).hasSize(2);
        assertThat(batch.days().get(new UsageBatch.Bucket("key_b", day)).rejected)
                .isEqualTo(1);
        assertThat(batch.outcomes()).containsEntry(UsageOutcome.ACCEPTED, 2L);
        assertThat(batch.events()).isEqualTo(4);
    }

    @Test
    void handsAKeysBucketsOverInStartOrderWhateverOrderTheyCameIn() {
        UsageBatch.KeyTotals key = new UsageBatch.KeyTotals("org_a");
        int made = key.add(UsageBatch.HOURS, 180, 1, 0)
                + key.add(UsageBatch.HOURS, 60, 2, 0)
                + key.add(UsageBatch.HOURS, 240, 0, 3)
                + key.add(UsageBatch.HOURS, 60, 4, 1)
                + key.add(UsageBatch.HOURS, 120, 5, 0)
                + key.add(UsageBatch.HOURS, 180, 1, 1);
        java.util.List<String> seen = new java.util.ArrayList<>();
        key.forEach(UsageBatch.HOURS, (start, accepted, rejected) -> seen.add(start + ":" + accepted + "/" + rejected));
        assertThat(seen).containsExactly("60:6/1", "120:5/0", "180:2/1", "240:0/3");
        assertThat(made).isEqualTo(4);
        assertThat(key.size(UsageBatch.HOURS)).isEqualTo(4);
        assertThat(key.size(UsageBatch.MINUTES)).isZero();
        assertThat(key.size(UsageBatch.DAYS)).isZero();
        java.util.List<Long> none = new java.util.ArrayList<>();
        key.forEach(UsageBatch.MINUTES, (start, accepted, rejected) -> none.add(start));
        assertThat(none).isEmpty();
    }

    @Test
    void countsEachBucketOnce() {
        batch.add(UsageEvents.event("org_a", "key_a", T, UsageOutcome.ACCEPTED));
        batch.add(UsageEvents.event("org_a", "key_a", T.plusSeconds(40), UsageOutcome.ACCEPTED));
        batch.add(UsageEvents.event("org_a", "key_b", T, UsageOutcome.ACCEPTED));
        assertThat(batch.minuteBuckets()).isEqualTo(3).isEqualTo(batch.minutes().size());
        assertThat(batch.hourBuckets()).isEqualTo(2).isEqualTo(batch.hours().size());
        assertThat(batch.dayBuckets()).isEqualTo(2).isEqualTo(batch.days().size());
    }

    @Test
    void skipsMinuteBucketsPastRetentionButCountsTheRest() {
        Instant old = Instant.parse("2026-11-01T00:00:30Z");
        assertThat(batch.add(UsageEvents.event("org_a", "key_a", old, UsageOutcome.ACCEPTED)))
                .isTrue();
        assertThat(batch.minutes()).isEmpty();
        assertThat(batch.hours()).hasSize(1);
        assertThat(batch.keys().get("key_a").accepted).isEqualTo(1);
    }

    @Test
    void refusesEventsWithoutTheFieldsItCountsBy() {
        assertThat(batch.add(null)).isFalse();
        assertThat(batch.add(UsageEvents.event("org_a", null, T, UsageOutcome.ACCEPTED)))
                .isFalse();
        assertThat(batch.add(UsageEvents.event(null, "key_a", T, UsageOutcome.ACCEPTED)))
                .isFalse();
        assertThat(batch.keys()).isEmpty();
    }
}
