package dev.keyledger.edge;

import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.kafka.ChangelogHeartbeat;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes changelog heartbeats the way the query-service does: one {@code heartbeat:<p>} record
 * per partition of the key-events topic on the active-keys topic, at a fixed interval, with the
 * wall-clock time as {@code read_at}. Without them an edge fails closed, so every test that runs an
 * edge needs one of these. A partition can be paused to play a wedged or dead read-side instance.
 */
public final class TestHeartbeats implements AutoCloseable {

    private static final Object SHARED_LOCK = new Object();
    private static TestHeartbeats shared;

    private final KafkaProducer<String, byte[]> producer;
    private final String activeKeysTopic;
    private final int partitions;
    private final Set<Integer> paused = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;

    private TestHeartbeats(String bootstrap, String activeKeysTopic, int partitions, Duration interval) {
        this.activeKeysTopic = activeKeysTopic;
        this.partitions = partitions;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.LINGER_MS_CONFIG,
                0));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "test-heartbeats-" + activeKeysTopic);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts heartbeats for every partition of {@code keyEventsTopic} (created with
     * {@code partitions} partitions when missing) on {@code activeKeysTopic}.
     */
    public static TestHeartbeats start(
            String bootstrap, String keyEventsTopic, int partitions, String activeKeysTopic, Duration interval) {
        return new TestHeartbeats(
                bootstrap, activeKeysTopic, ensureTopic(bootstrap, keyEventsTopic, partitions), interval);
    }

    /**
     * The JVM-wide publisher for the default topics, started on first use and never stopped (a
     * daemon), so that every cached edge context of the test JVM stays fresh.
     */
    public static void ensureDefault(String bootstrap) {
        synchronized (SHARED_LOCK) {
            if (shared == null) {
                shared = start(bootstrap, Topics.KEY_EVENTS, 3, Topics.ACTIVE_KEYS, Duration.ofSeconds(1));
            }
        }
    }

    public int partitions() {
        return partitions;
    }

    /** Stops this partition's heartbeats, as a read side that stopped keeping up would. */
    public void pause(int partition) {
        paused.add(partition);
    }

    public void resume(int partition) {
        paused.remove(partition);
    }

    private void beat() {
        Instant now = Instant.now();
        for (int partition = 0; partition < partitions; partition++) {
            if (paused.contains(partition)) {
                continue;
            }
            ChangelogHeartbeat heartbeat = new ChangelogHeartbeat(partition, partitions, 0, now, "test");
            producer.send(new ProducerRecord<>(
                    activeKeysTopic, Topics.HEARTBEAT_KEY_PREFIX + partition, KeyledgerJson.write(heartbeat)));
        }
    }

    /** Creates the topic when missing and returns its partition count. */
    private static int ensureTopic(String bootstrap, String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create " + topic, e);
                }
            }
            // A topic just created may not be in the broker's metadata yet (KRaft propagates it).
            return await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsMatching(e -> e.getCause() instanceof UnknownTopicOrPartitionException)
                    .until(
                            () -> admin.describeTopics(List.of(topic))
                                    .allTopicNames()
                                    .get(30, TimeUnit.SECONDS)
                                    .get(topic)
                                    .partitions()
                                    .size(),
                            count -> count > 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create " + topic, e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
