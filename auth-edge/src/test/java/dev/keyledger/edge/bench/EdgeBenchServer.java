package dev.keyledger.edge.bench;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.apikey.GeneratedApiKey;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.ActiveKeyEntry;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.edge.AuthEdgeApplication;
import dev.keyledger.edge.TestHeartbeats;
import dev.keyledger.edge.keys.ChangelogState;
import dev.keyledger.testsupport.TestInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real edge for the shell benchmarks and demos: an in-process Kafka broker (test-support), a few
 * keys published to {@code keyledger.active-keys}, and the edge application on the given ports.
 * Writes the keys to an env file and waits until the table has caught up. Reads commands from
 * {@code revoke-probe} as fifth argument, it measures tombstone-to-refusal instead and exits.
 * Usage: {@code EdgeBenchServer <port> <managementPort> <envFile> <upstream> [revoke-probe [rounds]] [--setting=value...]}.
 */
public final class EdgeBenchServer {

    private EdgeBenchServer() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int managementPort = Integer.parseInt(args[1]);
        Path envFile = Path.of(args[2]);
        String upstream = args.length > 3 ? args[3] : "http://127.0.0.1:8099";
        String bootstrap = TestInfrastructure.kafkaBootstrapServers();
        String org = Ids.newOrganizationId();
        String db = Ids.newDatabaseId();
        GeneratedApiKey bench = ApiKeyFormat.generate(ApiKeyType.SECRET);
        GeneratedApiKey limited = ApiKeyFormat.generate(ApiKeyType.SECRET);
        GeneratedApiKey browser = ApiKeyFormat.generate(ApiKeyType.PUBLIC);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            publish(producer, bench.hash(), entry("secret", org, null, Long.MAX_VALUE, List.of()));
            publish(producer, limited.hash(), entry("secret", org, null, 2, List.of()));
            publish(producer, browser.hash(), entry("public", org, db, 1000, List.of("https://app.example.com")));
        }
        // The edge fails closed without changelog heartbeats; publish them as the query-service does.
        TestHeartbeats.ensureDefault(bootstrap);
        // Command-line arguments, because default properties rank below auth-edge.yml.
        List<String> arguments = new java.util.ArrayList<>(List.of(
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--management.server.port=" + managementPort,
                "--management.server.address=127.0.0.1",
                "--spring.kafka.bootstrap-servers=" + bootstrap,
                "--keyledger.proxy.upstream=" + upstream,
                "--logging.level.root=WARN"));
        for (String extra : args) {
            if (extra.startsWith("--")) {
                arguments.add(extra);
            }
        }
        ConfigurableApplicationContext edge = AuthEdgeApplication.builder().run(arguments.toArray(String[]::new));
        ChangelogState state = edge.getBean(ChangelogState.class);
        while (!state.caughtUp() || state.stale(System.currentTimeMillis())) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        Files.writeString(
                envFile,
                "KL_BENCH_KEY=" + bench.plaintext() + "\nKL_LIMITED_KEY=" + limited.plaintext() + "\nKL_PUBLIC_KEY="
                        + browser.plaintext() + "\nKL_DATABASE_ID=" + db + "\n");
        System.out.println("EDGE READY on " + port);
        if (args.length > 4 && args[4].equals("revoke-probe")) {
            int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 50;
            System.out.println(RevokeProbe.run(bootstrap, org, port, rounds));
            edge.close();
            System.exit(0);
        }
        Thread.currentThread().join();
    }

    static ActiveKeyEntry entry(String type, String org, String db, long perMinute, List<String> origins) {
        return new ActiveKeyEntry(
                Ids.newKeyId(), type, org, db, "enterprise", perMinute, Long.MAX_VALUE, origins, null);
    }

    static void publish(KafkaProducer<String, byte[]> producer, String hash, ActiveKeyEntry entry) throws Exception {
        producer.send(new ProducerRecord<>(Topics.ACTIVE_KEYS, hash, entry == null ? null : KeyledgerJson.write(entry)))
                .get(30, TimeUnit.SECONDS);
    }
}
