import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Reads and writes whole topics of the local cluster for chaos.sh and backup.sh/restore.sh.
 * Single-file program on the Kafka client the cluster's brokers run (their classpath):
 *
 * <pre>
 *   java -cp CP KafkaTopics.java dump BOOTSTRAP TOPIC OUT [START]   every record from START to the end offsets
 *   java -cp CP KafkaTopics.java values BOOTSTRAP TOPIC OUT          the values only, one per line (UTF-8)
 *   java -cp CP KafkaTopics.java produce BOOTSTRAP TOPIC IN          re-send a dump, same partition, key, headers, order
 * </pre>
 *
 * START is {@code partition=offset,...} (a partition not named starts at its beginning). A dump
 * line is {@code partition TAB offset TAB timestamp TAB key TAB value TAB headers}, key and value
 * base64 ({@code -} for null), headers {@code name=base64;...}. Output goes to a file, never to
 * stdout, so client log lines cannot mix with records. Consumers use no group and commit nothing.
 */
public class KafkaTopics {

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: KafkaTopics dump|values|produce BOOTSTRAP TOPIC FILE [START]");
            System.exit(2);
        }
        String verb = args[0];
        String bootstrap = args[1];
        String topic = args[2];
        Path file = Path.of(args[3]);
        switch (verb) {
            case "dump" -> System.err.println(
                    "dumped " + read(bootstrap, topic, file, args.length > 4 ? args[4] : "", false) + " records");
            case "values" -> System.err.println("read " + read(bootstrap, topic, file, "", true) + " records");
            case "produce" -> System.err.println("produced " + produce(bootstrap, topic, file) + " records");
            default -> {
                System.err.println("unknown verb " + verb);
                System.exit(2);
            }
        }
    }

    static long read(String bootstrap, String topic, Path out, String start, boolean valuesOnly) throws IOException {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        props.put("allow.auto.create.topics", "false");
        props.put("isolation.level", "read_committed");
        Map<Integer, Long> from = new HashMap<>();
        for (String part : start.split(",")) {
            if (part.contains("=")) {
                String[] kv = part.split("=");
                from.put(Integer.parseInt(kv[0].trim()), Long.parseLong(kv[1].trim()));
            }
        }
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                PrintWriter writer = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                System.err.println("topic " + topic + " does not exist; nothing read");
                return 0;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> remaining = new HashMap<>();
            for (TopicPartition partition : partitions) {
                long first = Math.max(beginning.get(partition), from.getOrDefault(partition.partition(), 0L));
                consumer.seek(partition, first);
                if (first < end.get(partition)) {
                    remaining.put(partition, end.get(partition));
                }
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!remaining.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end offsets: " + remaining);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(topic, record.partition());
                    Long stop = remaining.get(partition);
                    if (stop == null || record.offset() >= stop) {
                        continue;
                    }
                    if (valuesOnly) {
                        writer.println(record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8)
                                .replace('\n', ' '));
                    } else {
                        StringBuilder headers = new StringBuilder();
                        for (Header header : record.headers()) {
                            if (headers.length() > 0) {
                                headers.append(';');
                            }
                            headers.append(header.key()).append('=').append(b64(header.value()));
                        }
                        writer.println(record.partition() + "\t" + record.offset() + "\t" + record.timestamp() + "\t"
                                + b64(record.key()) + "\t" + b64(record.value()) + "\t" + headers);
                    }
                    count++;
                }
                for (TopicPartition partition : new ArrayList<>(remaining.keySet())) {
                    if (consumer.position(partition) >= remaining.get(partition)) {
                        remaining.remove(partition);
                    }
                }
            }
        }
        return count;
    }

    static long produce(String bootstrap, String topic, Path in) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("max.in.flight.requests.per.connection", "1");
        long count = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
                BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
            int partitions = producer.partitionsFor(topic).size();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                int partition = Integer.parseInt(cells[0]);
                if (partition >= partitions) {
                    throw new IllegalStateException(topic + " has " + partitions + " partitions; the dump has partition " + partition);
                }
                List<Header> headers = new ArrayList<>();
                if (cells.length > 5 && !cells[5].isEmpty()) {
                    for (String header : cells[5].split(";")) {
                        int eq = header.indexOf('=');
                        headers.add(new RecordHeader(header.substring(0, eq), unb64(header.substring(eq + 1))));
                    }
                }
                sent.add(producer.send(new ProducerRecord<>(
                        topic, partition, Long.parseLong(cells[2]), unb64(cells[3]), unb64(cells[4]), headers)));
                count++;
            }
            producer.flush();
            for (Future<RecordMetadata> ack : sent) {
                ack.get();
            }
        }
        return count;
    }

    static String b64(byte[] bytes) {
        return bytes == null ? "-" : Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] unb64(String text) {
        return text.equals("-") ? null : Base64.getDecoder().decode(text);
    }
}
