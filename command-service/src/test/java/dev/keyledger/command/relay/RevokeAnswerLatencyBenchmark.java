package dev.keyledger.command.relay;

import dev.keyledger.command.CommandServiceApplication;
import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.TestJwts;
import dev.keyledger.testsupport.TestInfrastructure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What waiting for the relay adds to a revocation's answer (decision record 0017): the whole
 * service on a fresh database, {@code -Drevocations=N} keys (default 200) issued and then revoked
 * one after another over HTTP, once with {@code keyledger.relay.publish-wait=0} (the answer once
 * the revocation is stored, as before) and once with the default wait, after a warm-up pass;
 * prints the answer times'
 * p50, p99 and max of both runs and how many answers were {@code published}. Not a test; run it
 * as docs/relay.md says. Fails loudly (exit 1) when it measured nothing or an answer was not 204.
 */
public final class RevokeAnswerLatencyBenchmark {

    private RevokeAnswerLatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int revocations = Integer.getInteger("revocations", 200);
        // A first pass warms up the JVM (JIT, pools, broker metadata): without it the first measured
        // run was the slower one whichever setting it had.
        run("0", Math.max(1, revocations / 4));
        double[] without = run("0", revocations);
        double[] with = run("5s", revocations);
        report("publish-wait=0 ", without, revocations);
        report("publish-wait=5s", with, revocations);
        System.exit(0);
    }

    /** Answer times in ms, sorted; the last element is the count of published answers. */
    private static double[] run(String publishWait, int revocations) {
        String jdbcUrl = TestInfrastructure.newDatabase("revoke_latency");
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        ConfigurableApplicationContext context = CommandServiceApplication.builder()
                .run(
                        "--spring.datasource.url=" + jdbcUrl,
                        "--spring.datasource.username=" + postgres.username(),
                        "--spring.datasource.password=" + postgres.password(),
                        "--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrapServers(),
                        "--server.port=0",
                        "--management.server.port=0",
                        "--keyledger.relay.publish-wait=" + publishWait,
                        "--keyledger.security.issuer=" + TestJwts.ISSUER,
                        "--spring.security.oauth2.resourceserver.jwt.audiences=" + TestJwts.AUDIENCE,
                        "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:"
                                + TestJwts.publicKeyPem().toAbsolutePath(),
                        "--logging.level.root=WARN");
        try {
            ApiClient api = new ApiClient(
                    ((WebServerApplicationContext) context).getWebServer().getPort());
            String platformAdmin = TestJwts.token("bench", null, TestJwts.PLATFORM_ADMIN);
            String organizationId = api.post(
                            "/api/v1/organizations", platformAdmin, "{\"name\":\"Bench\",\"plan\":\"free\"}")
                    .text("id");
            String admin = TestJwts.token("bench", organizationId, TestJwts.ORG_ADMIN);
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < revocations; i++) {
                keys.add(api.post("/api/v1/organizations/" + organizationId + "/api-keys", admin, "{\"name\":\"b\"}")
                        .text("id"));
            }
            double[] times = new double[keys.size() + 1];
            int published = 0;
            for (int i = 0; i < keys.size(); i++) {
                long start = System.nanoTime();
                ApiClient.Response answer =
                        api.delete("/api/v1/organizations/" + organizationId + "/api-keys/" + keys.get(i), admin);
                times[i] = (System.nanoTime() - start) / 1e6;
                if (answer.status() != 204) {
                    throw new IllegalStateException("revocation answered " + answer.status() + ": " + answer.body());
                }
                if ("published".equals(answer.header(RelayPublication.HEADER))) {
                    published++;
                }
            }
            Arrays.sort(times, 0, keys.size());
            times[keys.size()] = published;
            return times;
        } finally {
            context.close();
        }
    }

    private static void report(String label, double[] times, int revocations) {
        int n = times.length - 1;
        if (n == 0 || n != revocations) {
            System.err.println("REVOKE-ANSWER measured nothing");
            System.exit(1);
        }
        System.out.printf(
                Locale.ROOT,
                "REVOKE-ANSWER %s revocations=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f published=%d%n",
                label,
                n,
                times[n / 2],
                times[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)],
                times[n - 1],
                (int) times[n]);
    }
}
