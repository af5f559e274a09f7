package dev.keyledger.edge.bench;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.apikey.GeneratedApiKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures tombstone-acknowledged to edge-refuses, {@code rounds} times: publishes a fresh key, waits
 * until the edge accepts it, publishes its tombstone and polls forward-auth until it answers 401.
 * This is the edge's share of the revoke->deny path; the query-service's share comes on top in the
 * standalone measurement.
 */
final class RevokeProbe {

    private RevokeProbe() {}

    static String run(String bootstrap, String org, int port, int rounds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        double[] millis = new double[rounds];
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.LINGER_MS_CONFIG,
                0))) {
            for (int round = 0; round < rounds; round++) {
                GeneratedApiKey key = ApiKeyFormat.generate(ApiKeyType.SECRET);
                HttpRequest check = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_keyledger/auth"))
                        .header("X-API-Key", key.plaintext())
                        .build();
                EdgeBenchServer.publish(
                        producer, key.hash(), EdgeBenchServer.entry("secret", org, null, 1000, List.of()));
                while (status(http, check) != 200) {
                    Thread.onSpinWait();
                }
                EdgeBenchServer.publish(producer, key.hash(), null);
                long acknowledged = System.nanoTime();
                while (status(http, check) != 401) {
                    Thread.onSpinWait();
                }
                millis[round] = (System.nanoTime() - acknowledged) / 1e6;
            }
        }
        Arrays.sort(millis);
        return String.format(
                "REVOKE-TO-DENY rounds=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f (from tombstone ack to first 401)",
                rounds,
                millis[rounds / 2],
                millis[Math.min(rounds - 1, (int) Math.ceil(rounds * 0.99) - 1)],
                millis[rounds - 1]);
    }

    private static int status(HttpClient http, HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
