package dev.keyledger.command.relay;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyledger.command.CommandServiceApplication;
import dev.keyledger.command.support.TestJwts;
import dev.keyledger.contracts.apikey.ApiKeyIssuedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRenamedEvent;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.Actor;
import dev.keyledger.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Events relayed to Kafka per second, from a backlog already in the store: the whole service starts
 * on a fresh database and topic, the relay is stopped, {@code -Devents=N} events (default 100,000;
 * 10 per API key aggregate, with actor metadata) are appended in bulk, and the relay is started
 * again. The clock runs from that start until the committed token covers the last event, so it
 * includes reading, serializing, sending, waiting for every acknowledgement and the token commits.
 * Not a test: run it with {@code bench/relay-throughput.sh}.
 */
public final class RelayThroughputBenchmark {

    private static final int EVENTS_PER_AGGREGATE = 10;
    private static final int APPEND_CHUNK = 1_000;

    private RelayThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("events", 100_000);
        String jdbcUrl = TestInfrastructure.newDatabase("relay_bench");
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        String topic = "keyledger.key-events.bench-" + System.currentTimeMillis();
        // Command-line arguments, because builder properties are only defaults that
        // command-service.yml overrides.
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password(),
                "--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrapServers(),
                "--keyledger.relay.topic=" + topic,
                "--server.port=0",
                "--management.server.port=0",
                "--keyledger.security.issuer=" + TestJwts.ISSUER,
                "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:"
                        + TestJwts.publicKeyPem().toAbsolutePath(),
                "--logging.level.root=WARN"));
        arguments.addAll(List.of(args));
        ConfigurableApplicationContext context =
                CommandServiceApplication.builder().run(arguments.toArray(String[]::new));
        try {
            run(context, events, topic);
        } finally {
            context.close();
        }
        System.exit(0);
    }

    private static void run(ConfigurableApplicationContext context, int events, String topic) {
        StreamingEventProcessor relay = context.getBean(EventProcessingConfiguration.class)
                .eventProcessor(KafkaRelay.PROCESSOR, StreamingEventProcessor.class)
                .orElseThrow();
        EventStore eventStore = context.getBean(EventStore.class);
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        RelayProperties properties = context.getBean(RelayProperties.class);

        relay.shutDown();
        long appendStart = System.nanoTime();
        append(eventStore, events);
        double appendSeconds = (System.nanoTime() - appendStart) / 1e9;
        long lastIndex = jdbc.sql("SELECT max(globalindex) FROM domainevententry")
                .query(Long.class)
                .single();

        long start = System.nanoTime();
        relay.start();
        await().atMost(Duration.ofMinutes(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> committedIndex(jdbc) >= lastIndex);
        double seconds = (System.nanoTime() - start) / 1e9;

        System.out.printf(
                "appended %,d events in %.1f s; relayed %,d events to %s (%d partitions, batch size %d, %d thread(s))"
                        + " in %.2f s: %,.0f events/s%n",
                events,
                appendSeconds,
                events,
                topic,
                properties.partitions(),
                properties.batchSize(),
                properties.threads(),
                seconds,
                events / seconds);
    }

    private static void append(EventStore eventStore, int events) {
        String organizationId = Ids.newOrganizationId();
        MetaData actor = MetaData.with(Actor.META_SUBJECT, "bench")
                .and(Actor.META_IP, "198.51.100.1")
                .and(Actor.META_USER_AGENT, "relay-benchmark");
        List<DomainEventMessage<?>> chunk = new ArrayList<>(APPEND_CHUNK);
        String keyId = null;
        for (int i = 0; i < events; i++) {
            int sequence = i % EVENTS_PER_AGGREGATE;
            if (sequence == 0) {
                keyId = Ids.newKeyId();
            }
            Object payload = sequence == 0
                    ? new ApiKeyIssuedEvent(
                            keyId,
                            organizationId,
                            null,
                            ApiKeyType.SECRET,
                            "bench",
                            "ef".repeat(32),
                            "WXYZ",
                            null,
                            null,
                            null)
                    : new ApiKeyRenamedEvent(keyId, organizationId, "bench " + sequence);
            chunk.add(new GenericDomainEventMessage<>("ApiKey", keyId, sequence, payload, actor));
            if (chunk.size() == APPEND_CHUNK) {
                eventStore.publish(chunk);
                chunk = new ArrayList<>(APPEND_CHUNK);
            }
        }
        if (!chunk.isEmpty()) {
            eventStore.publish(chunk);
        }
    }

    /** The position every segment of the relay has committed: the lowest of their token indexes. */
    private static long committedIndex(JdbcClient jdbc) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long index = Long.MAX_VALUE;
        for (String token : jdbc.sql("SELECT convert_from(token, 'UTF8') FROM tokenentry WHERE processorname = ?")
                .param(KafkaRelay.PROCESSOR)
                .query(String.class)
                .list()) {
            index = Math.min(
                    index,
                    token == null ? -1 : json.readTree(token).path("index").asLong(-1));
        }
        return index == Long.MAX_VALUE ? -1 : index;
    }
}
