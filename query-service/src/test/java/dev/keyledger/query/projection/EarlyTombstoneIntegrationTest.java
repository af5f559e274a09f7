package dev.keyledger.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.KeyledgerEvent;
import dev.keyledger.contracts.apikey.ApiKeyExpiredEvent;
import dev.keyledger.contracts.apikey.ApiKeyRenamedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRevokedEvent;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.KeyEventEnvelope;
import dev.keyledger.contracts.kafka.KeyEventTypes;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.activekeys.ActiveKeyChangelog;
import dev.keyledger.query.support.ActiveKeysView;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A revocation's tombstone leaves before the poll writes anything (decision 0018): the projection
 * names the revoked or expired key's hash while the key's row still says active, and only for keys
 * whose row existed before the poll. The poll's records are applied in a transaction that is rolled
 * back, so the live projection never sees them.
 */
class EarlyTombstoneIntegrationTest extends QueryServiceIntegrationTestBase {

    @Autowired
    KeyEventProjection projection;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    MeterRegistry registry;

    @Autowired
    ActiveKeyChangelog changelog;

    private record Announced(String hash, String statusThen) {}

    @Test
    void aRevokedOrExpiredKeyIsAnnouncedBeforeItsRowIsWrittenAndOnlyThen() {
        String org = events.createOrganization(Plan.PRO);
        KeyEvents.IssuedKey revoked = events.issue(org, null, ApiKeyType.SECRET, "revoked", null, null);
        KeyEvents.IssuedKey expired = events.issue(org, null, ApiKeyType.SECRET, "expired", null, null);
        KeyEvents.IssuedKey renamed = events.issue(org, null, ApiKeyType.SECRET, "renamed", null, null);
        awaitProjected();
        String bornInThePoll = Ids.newKeyId();

        List<ConsumerRecord<String, byte[]>> poll = List.of(
                record(new ApiKeyRevokedEvent(revoked.id(), org), 1, 0),
                record(new ApiKeyRevokedEvent(revoked.id(), org), 1, 1), // redelivered in the same poll
                record(new ApiKeyExpiredEvent(expired.id(), org, Instant.now()), 1, 2),
                record(new ApiKeyRenamedEvent(renamed.id(), org, "still active"), 1, 3),
                record(new ApiKeyRevokedEvent(bornInThePoll, org), 1, 4));
        List<Announced> announced = new ArrayList<>();
        List<String> statusesAfter = new ArrayList<>();
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        KeyEventProjection.Outcome outcome = transactions.execute(status -> {
            status.setRollbackOnly();
            KeyEventProjection.Outcome result =
                    projection.apply(poll, (hash, at) -> announced.add(new Announced(hash, statusOf(hash))));
            statusesAfter.add(statusOf(revoked.hash()));
            statusesAfter.add(statusOf(expired.hash()));
            return result;
        });

        assertThat(announced)
                .containsExactly(new Announced(revoked.hash(), "active"), new Announced(expired.hash(), "active"));
        assertThat(statusesAfter).containsExactly("revoked", "expired");
        assertThat(outcome.touchedKeys()).contains(revoked.id(), expired.id(), renamed.id());
        // Rolled back: the tables still hold the keys as the live projection left them.
        assertThat(statusOf(revoked.hash())).isEqualTo("active");
    }

    @Test
    void theLiveProjectionSendsTheEarlyTombstoneOfARevocation() {
        String org = events.createOrganization(Plan.PRO);
        KeyEvents.IssuedKey key = events.issue(org, null, ApiKeyType.SECRET, "live", null, null);
        awaitProjected();
        double before = earlyTombstones();

        events.revoke(org, key.id());
        awaitProjected();

        await().atMost(Duration.ofSeconds(10)).until(() -> earlyTombstones() >= before + 1);
        assertThat(statusOf(key.hash())).isEqualTo("revoked");
    }

    @Test
    void afterItsEarlyTombstoneAKeyIsNotPublishedActiveAgainByAPollThatHasNotAppliedTheRevocation() {
        String org = events.createOrganization(Plan.PRO);
        KeyEvents.IssuedKey key = events.issue(org, null, ApiKeyType.SECRET, "retried", null, null);
        awaitProjected();
        assertThat(ActiveKeysView.read().get(key.hash())).isPresent();

        // A poll sent the early tombstone and failed; its retry holds only an earlier change of the
        // organization (other boundaries), so the key's row still says active when it publishes.
        changelog.sendTombstone(key.hash(), Instant.now());
        new TransactionTemplate(transactionManager)
                .executeWithoutResult(status -> changelog.publishChanges(Set.of(), Set.of(), Set.of(org)));

        assertThat(ActiveKeysView.read().get(key.hash())).isEmpty();
        assertThat(statusOf(key.hash())).isEqualTo("active");
    }

    private double earlyTombstones() {
        return registry.get("keyledger_active_keys_published")
                .tag("kind", "early_tombstone")
                .counter()
                .count();
    }

    private String statusOf(String hash) {
        return jdbc.queryForObject("SELECT status FROM api_keys WHERE key_hash = ?", String.class, hash);
    }

    /** A record as the relay writes it, numbered within its aggregate but without an organization seq. */
    private static ConsumerRecord<String, byte[]> record(KeyledgerEvent event, long sequence, long offset) {
        KeyEventTypes.Type type = KeyEventTypes.of(event.getClass());
        KeyEventEnvelope envelope = new KeyEventEnvelope(
                "evt_" + Ids.ulid(),
                event.aggregateId(),
                type.aggregateType(),
                sequence,
                type.name(),
                type.revision(),
                Instant.now(),
                KeyEvents.ALICE,
                KeyledgerJson.tree(event));
        return new ConsumerRecord<>(Topics.KEY_EVENTS, 0, offset, event.aggregateId(), KeyledgerJson.write(envelope));
    }
}
