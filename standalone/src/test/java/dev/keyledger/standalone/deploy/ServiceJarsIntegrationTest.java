package dev.keyledger.standalone.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyledger.standalone.authserver.AuthorizationServer;
import dev.keyledger.testsupport.TestInfrastructure;
import dev.keyledger.testsupport.TestPorts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every service's runnable jar ({@code <module>/target/keyledger-<module>.jar}) started on its own
 * as a child JVM, with nothing but command-line settings (docs/deploy.md), against the real
 * PostgreSQL and Kafka broker of test-support and the standalone's identity provider started in
 * this JVM: command-service, query-service, auth-edge and the portal, in that order, each left
 * running for the next (the edge is healthy only once the query-service's heartbeats arrive, the
 * portal only once the identity provider's discovery answers), then all stopped with SIGTERM.
 *
 * <p>The jars are built by the services' {@code package} phase, which a reactor build runs before
 * this module's tests; when one is missing (a {@code -pl standalone} run without them) the test
 * says so and skips.
 */
class ServiceJarsIntegrationTest {

    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(420);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path workDir;

    private static AuthorizationServer identityProvider;
    private static final Deque<Child> RUNNING = new ArrayDeque<>();

    private record Child(String name, Process process, int managementPort, Path log) {}

    private static AuthorizationServer startIdentityProvider(int portalPort) {
        int port = freePort();
        return AuthorizationServer.start(new AuthorizationServer.Settings(
                workDir.resolve("idp").resolve("signing-key.json"),
                HOST,
                port,
                "http://" + HOST + ":" + port,
                Duration.ofHours(1),
                "keyledger",
                List.of("localhost", HOST),
                URI.create("http://" + HOST + ":" + portalPort),
                "portal-dev-secret"));
    }

    @AfterAll
    static void stopEverything() {
        while (!RUNNING.isEmpty()) {
            RUNNING.pop().process().destroyForcibly();
        }
        if (identityProvider != null) {
            identityProvider.close();
        }
    }

    @Test
    void eachServiceJarStartsOnItsOwnAndStopsOnSigterm() throws Exception {
        Path root = moduleRoot().getParent();
        Map<String, Path> jars = new LinkedHashMap<>();
        for (String module : List.of("command-service", "query-service", "auth-edge", "portal")) {
            jars.put(module, root.resolve(module).resolve("target").resolve("keyledger-" + module + ".jar"));
        }
        List<String> missing = jars.values().stream()
                .filter(jar -> !Files.isRegularFile(jar))
                .map(Path::toString)
                .toList();
        assumeTrue(
                missing.isEmpty(),
                "the service jars are built by the services' package phase; missing " + missing
                        + " (run ./mvnw -B -DskipTests package first, or the whole reactor's verify)");

        String kafka = TestInfrastructure.kafkaBootstrapServers();
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        String commandDatabase = TestInfrastructure.newDatabase("jar_command");
        String queryDatabase = TestInfrastructure.newDatabase("jar_query");
        Map<String, Integer> apiPorts = new LinkedHashMap<>();
        for (String module : jars.keySet()) {
            apiPorts.put(module, freePort());
        }
        identityProvider = startIdentityProvider(apiPorts.get("portal"));
        List<String> identity = List.of(
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + identityProvider.jwksUri(),
                "--keyledger.security.issuer=" + identityProvider.issuer(),
                "--spring.security.oauth2.resourceserver.jwt.audiences=keyledger");
        List<String> database = List.of(
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password());

        List<String> command = new ArrayList<>(List.of("--spring.datasource.url=" + commandDatabase));
        command.addAll(database);
        command.addAll(identity);
        List<String> query = new ArrayList<>(List.of("--spring.datasource.url=" + queryDatabase));
        query.addAll(database);
        query.addAll(identity);
        // The edge is healthy only with fresh heartbeats of every key-events partition: the
        // query-service above sends them; the upstream is not called by a health check.
        List<String> edge = List.of(
                "--keyledger.proxy.upstream=http://" + HOST + ":" + freePort(),
                "--keyledger.data-dir=" + workDir.resolve("edge"));
        List<String> portal = List.of(
                "--spring.security.oauth2.client.provider.keyledger.issuer-uri=" + identityProvider.issuer(),
                "--keyledger.portal.base-url=http://" + HOST + ":" + apiPorts.get("portal"),
                "--keyledger.portal.command-url=http://" + HOST + ":" + apiPorts.get("command-service"),
                "--keyledger.portal.query-url=http://" + HOST + ":" + apiPorts.get("query-service"),
                "--keyledger.portal.edge-url=http://" + HOST + ":" + apiPorts.get("auth-edge"));
        Map<String, List<String>> settings = Map.of(
                "command-service", command,
                "query-service", query,
                "auth-edge", edge,
                "portal", portal);

        for (Map.Entry<String, Path> jar : jars.entrySet()) {
            String module = jar.getKey();
            List<String> arguments = new ArrayList<>(settings.get(module));
            if (!module.equals("portal")) {
                arguments.add("--spring.kafka.bootstrap-servers=" + kafka);
            }
            long begin = System.nanoTime();
            Child child = start(module, jar.getValue(), apiPorts.get(module), arguments);
            RUNNING.push(child);
            awaitHealthUp(child);
            System.out.printf(
                    "Service jar %s: health UP after %d ms%n", module, (System.nanoTime() - begin) / 1_000_000);
            // The API port answers too (the status depends on the service: 401, 404, 302, ...).
            HttpResponse<Void> api = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + apiPorts.get(module) + "/"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(api.statusCode()).as(module + " API port").isBetween(200, 499);
        }

        while (!RUNNING.isEmpty()) {
            Child child = RUNNING.pop();
            long begin = System.nanoTime();
            child.process().destroy(); // SIGTERM
            boolean exited = child.process().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(exited)
                    .as(child.name() + " exits on SIGTERM; log " + child.log())
                    .isTrue();
            // A JVM ended by SIGTERM reports 143 after its shutdown hooks ran (Boot's graceful stop).
            assertThat(child.process().exitValue())
                    .as(child.name() + " exit code; log " + child.log())
                    .isIn(0, 143);
            String log = Files.readString(child.log());
            assertThat(log).as(child.name() + " must not phone home").doesNotContain("get.axoniq.io");
            System.out.printf(
                    "Service jar %s: stopped on SIGTERM in %d ms%n",
                    child.name(), (System.nanoTime() - begin) / 1_000_000);
        }
    }

    private static Child start(String module, Path jar, int apiPort, List<String> settings) throws IOException {
        int managementPort = freePort();
        Path log = moduleRoot().resolve("target").resolve("service-jars").resolve(module + ".log");
        Files.createDirectories(log.getParent());
        List<String> commandLine = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                jar.toString(),
                "--server.port=" + apiPort,
                "--management.server.port=" + managementPort));
        commandLine.addAll(settings);
        Process process = new ProcessBuilder(commandLine)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new Child(module, process, managementPort, log);
    }

    private static void awaitHealthUp(Child child) {
        URI health = URI.create("http://" + HOST + ":" + child.managementPort() + "/actuator/health");
        await(child.name() + " UP; log " + child.log())
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsMatching(e -> e instanceof ConnectException || e instanceof HttpTimeoutException)
                .failFast(() -> assertThat(child.process().isAlive())
                        .as(child.name() + " exited early with " + exitOf(child) + "; log " + child.log())
                        .isTrue())
                .untilAsserted(() -> {
                    HttpResponse<String> response = HTTP.send(
                            HttpRequest.newBuilder(health)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode() + " " + response.body())
                            .startsWith("200 ")
                            .contains("\"status\":\"UP\"");
                });
    }

    private static String exitOf(Child child) {
        return child.process().isAlive()
                ? "-"
                : Integer.toString(child.process().exitValue());
    }

    /** The standalone module's directory: surefire runs in it, an IDE may run in the repository root. */
    private static Path moduleRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("standalone")) ? here.resolve("standalone") : here;
    }

    private static int freePort() {
        return TestPorts.free();
    }
}
