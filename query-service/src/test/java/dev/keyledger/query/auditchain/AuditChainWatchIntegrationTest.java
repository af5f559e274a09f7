package dev.keyledger.query.auditchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A chain waiting behind a missing seq (as behind a parked event) is reported with how long it has
 * waited at its head, and no longer once the missing event is applied.
 */
class AuditChainWatchIntegrationTest extends QueryServiceIntegrationTestBase {

    @Autowired
    AuditChainWatch watch;

    @Autowired
    MeterRegistry registry;

    private void awaitHead(String org, long seq) {
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> jdbc.queryForObject(
                                "SELECT coalesce(max(seq), 0) FROM audit_chain_heads WHERE organization_id = ?",
                                Long.class,
                                org),
                        head -> head == seq);
    }

    @Test
    void aChainWaitingForAMissingSeqIsReportedUntilTheEventArrives() {
        String org = events.createOrganization(Plan.STARTER);
        KeyEvents.IssuedKey key = events.issue(org, null, ApiKeyType.SECRET, "ci", null, null);
        awaitProjected();
        awaitHead(org, 2);
        // Seq 4 is applied, seq 3 is not (as when its event is parked): the chain stays at 2.
        jdbc.update(
                "INSERT INTO audit_log (aggregate_id, sequence, event_id, organization_id, aggregate_type, type,"
                        + " occurred_at, actor_subject, actor_ip, actor_user_agent, details, seq)"
                        + " VALUES (?, 0, ?, ?, 'api_key', 'api_key.renamed', now(), 'alice', '203.0.113.7',"
                        + " 'portal/1.0', '{\"name\":\"later\"}', 4)",
                "key_stall_" + org.substring(4),
                "evt_stall_" + org.substring(4),
                org);
        Instant first = Instant.now();

        Duration atFirst = watch.check(first).get(org);
        Duration later = watch.check(first.plus(Duration.ofMinutes(20))).get(org);
        double gauge =
                registry.get("keyledger_audit_chain_stalled_seconds").gauge().value();

        assertThat(atFirst).as("reported from the first check").isNotNull();
        assertThat(later).isGreaterThanOrEqualTo(Duration.ofMinutes(20));
        assertThat(gauge).isGreaterThanOrEqualTo(20 * 60.0);
        assertThat(registry.get("keyledger_audit_chain_stalled_organizations")
                        .gauge()
                        .value())
                .isGreaterThanOrEqualTo(1.0);

        events.rename(org, key.id(), "renamed");
        awaitProjected();
        awaitHead(org, 4);

        assertThat(watch.check(first.plus(Duration.ofMinutes(21))))
                .as("the chain moved past the gap")
                .doesNotContainKey(org);
    }
}
