package dev.keyledger.edge.keys;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.context.SmartLifecycle;

/**
 * One Kafka consumer on a platform thread of its own, as the edge's two readers use it
 * ({@link ActiveKeysFollower}, {@link RevocationListener}): every partition by {@code assign}, no
 * group, nothing committed. {@link #stop} wakes the consumer and waits up to 10 s for the thread.
 */
abstract class ConsumerThread implements SmartLifecycle {

    private final String threadName;
    protected volatile boolean running;
    protected volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    ConsumerThread(String threadName) {
        this.threadName = threadName;
    }

    /**
     * Boot's consumer settings (bootstrap servers, security) for a consumer that assigns partitions
     * itself: no group, no auto commit, never creating a topic, string keys and byte values, a fetch
     * that answers within 50 ms when nothing arrives.
     */
    static Map<String, Object> assigningConsumerConfig(Map<String, Object> kafkaConfig, String offsetReset) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        // Asking for a topic's partitions must never create that topic with broker defaults.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return config;
    }

    /** The thread's work: open the consumer, publish it in {@link #consumer}, loop while running. */
    protected abstract void run();

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
