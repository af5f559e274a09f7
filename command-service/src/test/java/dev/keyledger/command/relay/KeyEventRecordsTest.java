package dev.keyledger.command.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.keyledger.contracts.database.DatabaseCreatedEvent;
import dev.keyledger.contracts.kafka.Actor;
import dev.keyledger.contracts.kafka.KeyEventEnvelope;
import dev.keyledger.contracts.kafka.KeyEventHeaders;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;

class KeyEventRecordsTest {

    private static final DatabaseCreatedEvent CREATED =
            new DatabaseCreatedEvent("db_1", "org_1", "Main", List.of("https://app.example.com"));

    @Test
    void keysTheRecordByAggregateIdAndCarriesIdTypeAndRevisionInHeadersAndEnvelope() {
        GenericDomainEventMessage<DatabaseCreatedEvent> event = new GenericDomainEventMessage<>(
                "Database",
                "db_1",
                3,
                CREATED,
                MetaData.with(Actor.META_SUBJECT, "alice")
                        .and(Actor.META_IP, "192.0.2.1")
                        .and(Actor.META_USER_AGENT, "portal")
                        .and(KeyEventEnvelope.META_ORGANIZATION_SEQ, 7));

        ProducerRecord<String, byte[]> record = KeyEventRecords.toRecord("topic", event);

        assertThat(record.topic()).isEqualTo("topic");
        assertThat(record.key()).isEqualTo("db_1");
        assertThat(record.partition()).as("the partitioner hashes the key").isNull();
        assertThat(record.timestamp())
                .as("broker retention counts from the send")
                .isNull();
        assertThat(new String(
                        record.headers().lastHeader(KeyEventHeaders.EVENT_ID).value()))
                .isEqualTo(event.getIdentifier());
        assertThat(new String(
                        record.headers().lastHeader(KeyEventHeaders.EVENT_TYPE).value()))
                .isEqualTo("database.created");
        assertThat(new String(record.headers()
                        .lastHeader(KeyEventHeaders.EVENT_REVISION)
                        .value()))
                .isEqualTo("1");
        KeyEventEnvelope envelope = KeyledgerJson.readEnvelope(record.value());
        assertThat(envelope.eventId()).isEqualTo(event.getIdentifier());
        assertThat(envelope.aggregateType()).isEqualTo("database");
        assertThat(envelope.sequenceNumber()).isEqualTo(3);
        assertThat(envelope.organizationSeq()).isEqualTo(7L);
        assertThat(envelope.occurredAt()).isEqualTo(event.getTimestamp());
        assertThat(envelope.actor()).isEqualTo(new Actor("alice", "192.0.2.1", "portal"));
        assertThat(KeyledgerJson.payload(envelope)).isEqualTo(CREATED);
        assertThat(envelope.payload().has("allowed_origins"))
                .as("snake_case payload")
                .isTrue();
    }

    @Test
    void anEventWithoutActorMetadataWasCausedByTheSystem() {
        assertThat(KeyEventRecords.actor(MetaData.emptyInstance())).isEqualTo(Actor.SYSTEM);
        assertThat(KeyEventRecords.actor(MetaData.with(Actor.META_SUBJECT, "bob")))
                .isEqualTo(new Actor("bob", null, null));
    }

    @Test
    void refusesAPayloadThatIsNoKeyledgerEventRatherThanInventAType() {
        GenericDomainEventMessage<String> event = new GenericDomainEventMessage<>("Other", "x", 0, "text");

        assertThatIllegalArgumentException().isThrownBy(() -> KeyEventRecords.toRecord("topic", event));
    }

    @Test
    void refusesAnEventThatTheEventStoreDidNotNumberInItsOrganization() {
        GenericDomainEventMessage<DatabaseCreatedEvent> unnumbered =
                new GenericDomainEventMessage<>("Database", "db_1", 3, CREATED, MetaData.emptyInstance());
        GenericDomainEventMessage<DatabaseCreatedEvent> zero = new GenericDomainEventMessage<>(
                "Database", "db_1", 3, CREATED, MetaData.with(KeyEventEnvelope.META_ORGANIZATION_SEQ, 0));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> KeyEventRecords.toRecord("topic", unnumbered))
                .withMessageContaining("organization_seq");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyEventRecords.toRecord("topic", zero));
    }

    @Test
    void refusesAnEventThatDoesNotComeFromAnAggregate() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> KeyEventRecords.toRecord("topic", GenericEventMessage.asEventMessage(CREATED)));
    }
}
