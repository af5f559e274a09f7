package dev.keyledger.contracts.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageReportCodecTest {

    private static final UsageReport REPORT = new UsageReport(
            "edge_01JTEST",
            42,
            (3L << 32) | 17,
            (4L << 32) | 2,
            List.of(
                    new UsageCount(
                            "key_a", "org_a", 1_700_000_040L, 5, 1, 0, 0, 1_700_000_059_000L, 1_700_000_059_500L),
                    new UsageCount("key_b", "org_é", 1_700_000_100L, 0, 0, 2, 1, 0, 1_700_000_101_000L)));

    @Test
    void roundTrips() {
        assertThat(UsageReportCodec.decode(UsageReportCodec.encode(REPORT))).isEqualTo(REPORT);
        assertThat(REPORT.rows().get(1).rejected()).isEqualTo(3);
        assertThat(REPORT.rows().get(0).total()).isEqualTo(6);
    }

    @Test
    void refusesControlCharactersInIds() {
        for (String bad : List.of("key\u0000a", "key\na", "key\u007fa")) {
            for (UsageReport report : List.of(
                    new UsageReport(bad, 1, 0, 1, List.of(new UsageCount("key_a", "org_a", 60, 1, 0, 0, 0, 1, 1))),
                    new UsageReport("e", 1, 0, 1, List.of(new UsageCount(bad, "org_a", 60, 1, 0, 0, 0, 1, 1))),
                    new UsageReport("e", 1, 0, 1, List.of(new UsageCount("key_a", bad, 60, 1, 0, 0, 0, 1, 1))))) {
                byte[] value = UsageReportCodec.encode(report);
                assertThatThrownBy(() -> UsageReportCodec.decode(value)).isInstanceOf(IllegalArgumentException.class);
            }
        }
        UsageReport unicode =
                new UsageReport("edge-é", 1, 0, 1, List.of(new UsageCount("key_é", "org_ü", 60, 1, 0, 0, 0, 1, 1)));
        assertThat(UsageReportCodec.decode(UsageReportCodec.encode(unicode))).isEqualTo(unicode);
    }

    @Test
    void acceptsTheLastStorableTimes() {
        long minute = UsageReportCodec.MAX_EPOCH_SECOND - 59;
        long millis = UsageReportCodec.MAX_EPOCH_SECOND * 1000 + 999;
        UsageReport edge = new UsageReport(
                "e", 1, 0, 1, List.of(new UsageCount("key_a", "org_a", minute, 1, 0, 0, 0, millis, millis)));
        assertThat(UsageReportCodec.decode(UsageReportCodec.encode(edge))).isEqualTo(edge);
    }

    @Test
    void refusesWhatIsNotAReport() {
        byte[] good = UsageReportCodec.encode(REPORT);
        assertThatThrownBy(() -> UsageReportCodec.decode(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UsageReportCodec.decode("{\"key_id\":1}".getBytes()))
                .isInstanceOf(IllegalArgumentException.class);
        for (int cut = 0; cut < good.length; cut += 7) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThatThrownBy(() -> UsageReportCodec.decode(truncated)).isInstanceOf(IllegalArgumentException.class);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> UsageReportCodec.decode(longer)).isInstanceOf(IllegalArgumentException.class);
        byte[] version = good.clone();
        version[2] = 9;
        assertThatThrownBy(() -> UsageReportCodec.decode(version)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesBadRows() {
        for (UsageCount bad : List.of(
                new UsageCount("key_a", "org_a", 61, 1, 0, 0, 0, 1, 1),
                new UsageCount("key_a", "org_a", 60, 0, 0, 0, 0, 0, 1),
                new UsageCount("key_a", "org_a", 60, -1, 2, 0, 0, 1, 1),
                new UsageCount("key_a", "org_a", 60, 1, 0, 0, 0, 0, 1),
                // times PostgreSQL cannot store would fail the poll on every retry
                new UsageCount("key_a", "org_a", -60, 1, 0, 0, 0, 1, 1),
                new UsageCount("key_a", "org_a", 253_402_300_800L, 1, 0, 0, 0, 1, 1),
                new UsageCount("key_a", "org_a", 60, 1, 0, 0, 0, Long.MAX_VALUE, 1),
                new UsageCount("key_a", "org_a", 60, 0, 1, 0, 0, 0, Long.MAX_VALUE),
                new UsageCount("key_a", "org_a", 60, 0, 1, 0, 0, 0, -1))) {
            byte[] value = UsageReportCodec.encode(new UsageReport("e", 1, 0, 1, List.of(bad)));
            assertThatThrownBy(() -> UsageReportCodec.decode(value)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
