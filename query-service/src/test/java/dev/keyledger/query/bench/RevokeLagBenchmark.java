package dev.keyledger.query.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * End-to-end revoke lag against a running standalone: the time from the answer of
 * {@code DELETE /api-keys/{key}} (command-service) to the tombstone of that key's hash on
 * {@code keyledger.active-keys} as a plain consumer sees it. Revokes run one at a time. Run with
 * {@code query-service/bench/revoke-lag.sh}; settings are system properties (see the script).
 */
public final class RevokeLagBenchmark {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private RevokeLagBenchmark() {}

    public static void main(String[] args) throws Exception {
        int count = Integer.getInteger("keys", 200);
        String idp = System.getProperty("idp", "http://localhost:8090");
        String commands = System.getProperty("commands", "http://localhost:8081");
        String bootstrap = System.getProperty("kafka", "localhost:9092");

        String root = token(idp, "{\"subject\":\"bench\",\"roles\":[\"platform_admin\"]}");
        String org = post(commands + "/api/v1/organizations", root, "{\"name\":\"revoke-lag bench\",\"plan\":\"pro\"}")
                .path("id")
                .asText();
        String admin =
                token(idp, "{\"subject\":\"bench\",\"organization_id\":\"" + org + "\",\"roles\":[\"org_admin\"]}");

        Map<String, Long> entries = new ConcurrentHashMap<>();
        Map<String, Long> tombstones = new ConcurrentHashMap<>();
        CountDownLatch tailing = new CountDownLatch(1);
        Thread tail = Thread.ofPlatform().daemon().start(() -> tail(bootstrap, entries, tombstones, tailing));
        // seekToEnd is lazy: keys issued before the tail has its positions would be missed.
        if (!tailing.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("could not start tailing " + Topics.ACTIVE_KEYS);
        }

        List<String[]> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode key = post(
                    commands + "/api/v1/organizations/" + org + "/api-keys", admin, "{\"name\":\"lag " + i + "\"}");
            keys.add(new String[] {
                key.path("id").asText(), ApiKeyFormat.sha256Hex(key.path("key").asText())
            });
        }
        await("active-key entries of every issued key")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> keys.stream().allMatch(key -> entries.containsKey(key[1])));

        double[] lags = new double[count];
        for (int i = 0; i < count; i++) {
            String[] key = keys.get(i);
            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(
                                    URI.create(commands + "/api/v1/organizations/" + org + "/api-keys/" + key[0]))
                            .header("Authorization", "Bearer " + admin)
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            if (answer.statusCode() != 204) {
                throw new IllegalStateException("revoke answered " + answer.statusCode() + ": " + answer.body());
            }
            long until = answered + TimeUnit.SECONDS.toNanos(30);
            while (!tombstones.containsKey(key[1])) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("no tombstone within 30 s for " + key[0]);
                }
                Thread.onSpinWait();
            }
            // A tombstone seen before the HTTP answer arrived counts as zero lag.
            lags[i] = Math.max(0, tombstones.get(key[1]) - answered) / 1e6;
        }
        tail.interrupt();
        Arrays.sort(lags);
        System.out.printf(
                "revokes: %d, lag from DELETE answer to tombstone (ms): p50 %.1f, p90 %.1f, p99 %.1f, max %.1f%n",
                count, percentile(lags, 50), percentile(lags, 90), percentile(lags, 99), lags[count - 1]);
    }

    private static void tail(
            String bootstrap, Map<String, Long> entries, Map<String, Long> tombstones, CountDownLatch tailing) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                        5),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ACTIVE_KEYS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            tailing.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(5))) {
                    long now = System.nanoTime();
                    (record.value() == null ? tombstones : entries).putIfAbsent(record.key(), now);
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String token(String idp, String body) throws Exception {
        return post(idp + "/dev/token", null, body).path("access_token").asText();
    }

    private static JsonNode post(String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return KeyledgerJson.mapper().readTree(response.body());
    }

    private static double percentile(double[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
