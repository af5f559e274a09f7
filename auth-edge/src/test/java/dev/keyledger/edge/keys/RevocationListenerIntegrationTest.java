package dev.keyledger.edge.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.KeyledgerEvent;
import dev.keyledger.contracts.apikey.ApiKeyRenamedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRevokedEvent;
import dev.keyledger.contracts.kafka.Actor;
import dev.keyledger.contracts.kafka.KeyEventEnvelope;
import dev.keyledger.contracts.kafka.KeyEventHeaders;
import dev.keyledger.contracts.kafka.KeyEventTypes;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.edge.EdgeIntegrationTestBase;
import dev.keyledger.edge.TestKeys;
import dev.keyledger.edge.TestKeys.TestKey;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The edge drops a key as soon as its revocation is on {@code keyledger.key-events}, before the
 * read side's tombstone (decision 0019), and an older changelog entry read after that does not
 * bring the key back. Nothing but the changelog here: no query-service runs, so only the
 * key-events record can have refused the key.
 */
class RevocationListenerIntegrationTest extends EdgeIntegrationTestBase {

    @Autowired
    MeterRegistry registry;

    @Test
    void aRevocationOnTheKeyEventsTopicRefusesTheKeyBeforeTheChangelogSaysSo() throws Exception {
        String org = newOrganization();
        TestKey key = activate(TestKeys.secret(org, 1_000, 100_000));
        assertThat(status(get("/_keyledger/auth", headers("X-API-Key", key.plaintext()))))
                .isEqualTo(200);
        awaitListening();

        relay(new ApiKeyRevokedEvent(key.entry().keyId(), org, null, key.hash()));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> status(get("/_keyledger/auth", headers("X-API-Key", key.plaintext()))) == 401);
        assertThat(counter("keyledger_edge_key_event_revocations", "outcome", "removed"))
                .isGreaterThanOrEqualTo(1);

        // The changelog still holds the key's entry; a copy read now (a poll published before the
        // revocation was projected) is held back.
        double heldBack = counter("keyledger_edge_changelog_entries_held_back", null, null);
        changelog(key.hash(), KeyledgerJson.write(key.entry()));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> counter("keyledger_edge_changelog_entries_held_back", null, null) > heldBack);
        assertThat(status(get("/_keyledger/auth", headers("X-API-Key", key.plaintext()))))
                .isEqualTo(401);

        // A tombstone then an entry again (a suspension and a reactivation that crossed the
        // revocation, or an early tombstone and a retried poll): still refused.
        double heldBackAgain = counter("keyledger_edge_changelog_entries_held_back", null, null);
        changelog(key.hash(), null);
        changelog(key.hash(), KeyledgerJson.write(key.entry()));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> counter("keyledger_edge_changelog_entries_held_back", null, null) > heldBackAgain);
        assertThat(status(get("/_keyledger/auth", headers("X-API-Key", key.plaintext()))))
                .isEqualTo(401);
    }

    @Test
    void aRevocationWhoseHashIsAnotherKeysLeavesThatKeyAlone() throws Exception {
        String org = newOrganization();
        TestKey innocent = activate(TestKeys.secret(org, 1_000, 100_000));
        awaitListening();
        double notInTable = counter("keyledger_edge_key_event_revocations", "outcome", "not_in_table");

        // A revocation of some other key that names the innocent key's hash (a bug, or a record
        // from another environment): it must not refuse the innocent key.
        relay(new ApiKeyRevokedEvent("key_01KQ0000000000000000000000", org, null, innocent.hash()));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> counter("keyledger_edge_key_event_revocations", "outcome", "not_in_table") > notInTable);
        assertThat(status(get("/_keyledger/auth", headers("X-API-Key", innocent.plaintext()))))
                .isEqualTo(200);
        activate(innocent); // its entry again, as a plan change would publish it: put
        assertThat(status(get("/_keyledger/auth", headers("X-API-Key", innocent.plaintext()))))
                .isEqualTo(200);
    }

    @Test
    void aRevocationWithoutAHashOrThatCannotBeReadLeavesTheKeyToTheChangelog() throws Exception {
        String org = newOrganization();
        TestKey key = activate(TestKeys.secret(org, 1_000, 100_000));
        awaitListening();
        double withoutHash = counter("keyledger_edge_key_event_revocations", "outcome", "without_hash");
        double malformed = counter("keyledger_edge_key_event_revocations", "outcome", "malformed");

        relay(new ApiKeyRevokedEvent(key.entry().keyId(), org)); // stored before events carried the hash
        relay(new ApiKeyRenamedEvent(key.entry().keyId(), org, "renamed")); // skipped on its header
        ProducerRecord<String, byte[]> junk = new ProducerRecord<>(
                Topics.KEY_EVENTS, key.entry().keyId(), "{\"not\":".getBytes(StandardCharsets.UTF_8));
        junk.headers().add(KeyEventHeaders.EVENT_TYPE, "api_key.revoked".getBytes(StandardCharsets.UTF_8));
        producer().send(junk).get(30, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> counter("keyledger_edge_key_event_revocations", "outcome", "without_hash") > withoutHash
                        && counter("keyledger_edge_key_event_revocations", "outcome", "malformed") > malformed);
        assertThat(status(get("/_keyledger/auth", headers("X-API-Key", key.plaintext()))))
                .isEqualTo(200);

        revoke(key);
        assertThat(status(get("/_keyledger/auth", headers("X-API-Key", key.plaintext()))))
                .isEqualTo(401);
    }

    /**
     * The listener starts reading at the topic's end; a probe revocation of an unknown key, counted
     * once read, shows that it reads (the probe's hash stays held back: no key has it).
     */
    private void awaitListening() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            double before = counter("keyledger_edge_key_event_revocations", "outcome", "not_in_table");
            relay(new ApiKeyRevokedEvent("key_probe", "org_probe", null, "0".repeat(64)));
            try {
                await().atMost(Duration.ofSeconds(5))
                        .until(() ->
                                counter("keyledger_edge_key_event_revocations", "outcome", "not_in_table") > before);
                return true;
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                return false;
            }
        });
    }

    private void relay(KeyledgerEvent event) throws Exception {
        KeyEventTypes.Type type = KeyEventTypes.of(event.getClass());
        KeyEventEnvelope envelope = new KeyEventEnvelope(
                "evt_" + System.nanoTime(),
                event.aggregateId(),
                type.aggregateType(),
                1,
                type.name(),
                type.revision(),
                Instant.now(),
                new Actor("alice", "203.0.113.7", "test"),
                KeyledgerJson.tree(event));
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.KEY_EVENTS, event.aggregateId(), KeyledgerJson.write(envelope));
        record.headers()
                .add(KeyEventHeaders.EVENT_ID, envelope.eventId().getBytes(StandardCharsets.UTF_8))
                .add(KeyEventHeaders.EVENT_TYPE, type.name().getBytes(StandardCharsets.UTF_8))
                .add(KeyEventHeaders.EVENT_REVISION, type.revision().getBytes(StandardCharsets.UTF_8));
        producer().send(record).get(30, TimeUnit.SECONDS);
    }

    private void changelog(String hash, byte[] value) throws Exception {
        producer().send(new ProducerRecord<>(Topics.ACTIVE_KEYS, hash, value)).get(30, TimeUnit.SECONDS);
    }

    private double counter(String name, String tag, String value) {
        var search = registry.find(name);
        if (tag != null) {
            search = search.tag(tag, value);
        }
        var counter = search.counter();
        return counter == null ? 0 : counter.count();
    }
}
