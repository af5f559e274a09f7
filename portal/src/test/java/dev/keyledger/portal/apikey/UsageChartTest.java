package dev.keyledger.portal.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.portal.api.Models.UsageBucket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageChartTest {

    private static final Instant FROM = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void givesEveryStepOfTheRangeABarWithZeroWhereTheApiReturnedNothing() {
        UsageChart chart = UsageChart.of(
                List.of(new UsageBucket(FROM.plus(2, ChronoUnit.HOURS), 8, 2)),
                FROM,
                FROM.plus(4, ChronoUnit.HOURS),
                ChronoUnit.HOURS);

        assertThat(chart.bars()).extracting(bar -> bar.bucket().requests()).containsExactly(0L, 0L, 8L, 0L);
        assertThat(chart.bars().get(2).acceptedHeight()).isEqualTo(UsageChart.HEIGHT);
        assertThat(chart.bars().get(2).rejectedHeight()).isEqualTo(25);
        assertThat(chart.accepted()).isEqualTo(8);
        assertThat(chart.rejected()).isEqualTo(2);
    }

    @Test
    void drawsNothingTallWhenThereWereNoRequests() {
        UsageChart chart = UsageChart.of(List.of(), FROM, FROM.plus(3, ChronoUnit.MINUTES), ChronoUnit.MINUTES);

        assertThat(chart.bars())
                .hasSize(3)
                .allSatisfy(bar -> assertThat(bar.acceptedHeight()).isZero());
        assertThat(chart.maximum()).isZero();
    }

    @Test
    void boundsTheNumberOfBarsWhateverTheRange() {
        UsageChart chart = UsageChart.of(List.of(), FROM, FROM.plus(365, ChronoUnit.DAYS), ChronoUnit.MINUTES);

        assertThat(chart.bars()).hasSize(UsageChart.MAX_BARS);
    }
}
