package dev.keyledger.query.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.datasource.ReadApiDatabase;
import dev.keyledger.query.support.ActiveKeysView;
import dev.keyledger.query.support.KeyEvents.IssuedKey;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import dev.keyledger.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Item 5 of issue 8: twenty API clients ask for a large NDJSON audit log, read its first bytes and
 * stall (small receive buffers, a log of ~30 MB that no socket buffer holds). Meanwhile a
 * revocation must still become a tombstone on {@code keyledger.active-keys} within 5 s: the
 * stalled streams hold read-API connections only (at most {@code max-concurrent-streams}; the
 * others are answered 503 with the contract's error JSON), never the projection's. A short read
 * request still gets its answer. The measured delay goes to docs/reliability.md ("Slow readers").
 */
class SlowAuditReadersIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final int READERS = 20;
    private static final int ENTRIES = 30_000;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ReadApiDatabase readApi;

    @Test
    void readApiConnectionsCarryTheStatementAndIdleInTransactionTimeouts() {
        assertThat(readApi.jdbc().queryForObject("SHOW statement_timeout", String.class))
                .isEqualTo("10s");
        assertThat(readApi.jdbc().queryForObject("SHOW idle_in_transaction_session_timeout", String.class))
                .isEqualTo("30s");
        assertThat(jdbc.queryForObject("SHOW statement_timeout", String.class))
                .as("the projections' pool is left alone")
                .isEqualTo("0");
    }

    @Test
    void aRevocationBecomesATombstoneWhileTwentySlowReadersStallTheAuditLog() throws Exception {
        String org = events.createOrganization(Plan.PRO);
        IssuedKey key = events.issue(org, null, ApiKeyType.SECRET, "slow readers", null, null);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> ActiveKeysView.read()
                        .getOrDefault(key.hash(), Optional.empty())
                        .isPresent());
        jdbc.update(
                "INSERT INTO audit_log (aggregate_id, sequence, event_id, organization_id, aggregate_type, type,"
                        + " occurred_at, actor_subject, actor_ip, actor_user_agent, details)"
                        + " SELECT 'key_slow_' || (i / 10), i % 10, 'evt_slow_' || i, ?, 'api_key', 'api_key.renamed',"
                        + " timestamptz '2026-01-01T00:00:00Z' + i * interval '1 second', 'alice', '203.0.113.7',"
                        + " 'portal/1.0', json_build_object('name', 'key ' || i, 'note', ?::text)::text"
                        + " FROM generate_series(0, ?) AS i",
                org, "x".repeat(900), ENTRIES - 1);

        List<Socket> readers = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> changelog = tailOfActiveKeys()) {
            List<String> statusLines = new ArrayList<>();
            List<String> refusals = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                Socket reader = slowReader(org);
                readers.add(reader);
                String head = readHead(reader.getInputStream());
                statusLines.add(head.substring(0, head.indexOf("\r\n")));
                if (head.startsWith("HTTP/1.1 503")) {
                    refusals.add(head);
                }
            }
            int streaming = (int) statusLines.stream()
                    .filter(line -> line.startsWith("HTTP/1.1 200"))
                    .count();
            assertThat(streaming).as("streams admitted: max-concurrent-streams").isEqualTo(4);
            assertThat(refusals)
                    .hasSize(READERS - streaming)
                    .allSatisfy(refusal -> assertThat(refusal)
                            .contains("Retry-After: 1")
                            .contains("\"error\":\"service_unavailable\"")
                            .contains("\"code\":\"SERVICE_UNAVAILABLE\""));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> meters.get("keyledger_query_read_streams_open")
                                    .gauge()
                                    .value()
                            == streaming);

            HttpResponse<String> shortRead = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/organizations/" + org
                                    + "/api-keys/" + key.id()))
                            .header("Authorization", "Bearer " + TestTokens.member(org))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(shortRead.statusCode())
                    .as("a short read while the streams stall")
                    .isEqualTo(200);

            long revokedAt = System.nanoTime();
            events.revoke(org, key.id());
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> tombstoneSeen(changelog, key.hash()));
            long delayMillis = (System.nanoTime() - revokedAt) / 1_000_000;

            assertThat(readers)
                    .allSatisfy(reader -> assertThat(reader.isClosed()).isFalse());
            System.out.printf(
                    "Slow readers: %d stalled NDJSON readers (%d streaming, %d refused 503); revocation to"
                            + " tombstone on keyledger.active-keys in %d ms%n",
                    READERS, streaming, READERS - streaming, delayMillis);
        } finally {
            for (Socket reader : readers) {
                reader.close();
            }
        }
    }

    /** Sends the request on a socket with a tiny receive buffer and then reads nothing more than the head. */
    private Socket slowReader(String org) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024);
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress("localhost", port), 5_000);
        String request = "GET /api/v1/organizations/" + org + "/audit-log HTTP/1.1\r\n"
                + "Host: localhost:" + port + "\r\n"
                + "Authorization: Bearer " + TestTokens.member(org) + "\r\n"
                + "Accept: application/x-ndjson\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** The status line and headers, plus whatever of the body came with them (a few hundred bytes). */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] buffer = new byte[512];
        while (!head.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n") || head.size() < 300) {
            int read = in.read(buffer);
            if (read < 0) {
                break;
            }
            head.write(buffer, 0, read);
        }
        return head.toString(StandardCharsets.UTF_8);
    }

    private static KafkaConsumer<String, byte[]> tailOfActiveKeys() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestInfrastructure.kafkaBootstrapServers(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.ACTIVE_KEYS, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static boolean tombstoneSeen(KafkaConsumer<String, byte[]> changelog, String hash) {
        for (ConsumerRecord<String, byte[]> record : changelog.poll(Duration.ofMillis(50))) {
            if (record.key().equals(hash) && record.value() == null) {
                return true;
            }
        }
        return false;
    }
}
