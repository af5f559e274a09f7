package dev.keyledger.standalone.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.keyledger.standalone.StandaloneApplication;
import dev.keyledger.standalone.services.ServiceCatalog;
import dev.keyledger.standalone.services.ServiceDefinition;
import dev.keyledger.testsupport.TestPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Incident response end to end on the whole standalone (real PostgreSQL, Kafka, the three
 * services): what the edge answers for the keys of a suspended, then reactivated organization,
 * after a revoke-all of an organization or of one database, and after a database is deleted. Each
 * test works in its own organization.
 */
class IncidentResponseIntegrationTest {

    private static final String HOST = "127.0.0.1";
    private static final String ORIGIN = "https://app.example.com";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration EDGE_BOUND = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    private static int idpPort;
    private static final Map<String, Integer> SERVICE_PORTS = new HashMap<>();
    private static ConfigurableApplicationContext standalone;

    @BeforeAll
    static void start() throws IOException {
        idpPort = freePort();
        List<String> args = new ArrayList<>();
        args.add("--keyledger.standalone.data-dir=" + dataDir);
        args.add("--keyledger.standalone.postgres.port=" + freePort());
        args.add("--keyledger.standalone.kafka.port=" + freePort());
        args.add("--keyledger.standalone.kafka.controller-port=" + freePort());
        args.add("--keyledger.standalone.idp.port=" + idpPort);
        args.add("--keyledger.standalone.upstream.port=" + freePort());
        for (ServiceDefinition service : ServiceCatalog.SERVICES) {
            int port = freePort();
            SERVICE_PORTS.put(service.name(), port);
            args.add("--keyledger.standalone.services." + service.name() + ".port=" + port);
            args.add("--keyledger.standalone.services." + service.name() + ".management-port=" + freePort());
        }
        standalone = StandaloneApplication.start(args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (standalone != null) {
            standalone.close();
        }
    }

    @Test
    void aSuspensionRefusesEveryKeyAndReactivationRestoresExactlyTheKeysStillValid() throws Exception {
        String platformAdmin = token("root", null, "platform_admin");
        String org = createOrganization(platformAdmin);
        String admin = token("alice", org, "org_admin");
        String database = createDatabase(admin, org);
        Map<String, Object> lasting = createKey(admin, org, null, null);
        Map<String, Object> expiring =
                createKey(admin, org, null, Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.SECONDS));
        Map<String, Object> revoked = createKey(admin, org, null, null);
        Map<String, Object> widget = createKey(admin, org, database, null);
        assertThat(send(
                                "DELETE",
                                command("/api/v1/organizations/" + org + "/api-keys/" + revoked.get("id")),
                                admin,
                                null)
                        .statusCode())
                .isEqualTo(204);
        awaitEdge(lasting, 200);
        awaitEdge(expiring, 200);
        awaitEdge(widget, 200);
        awaitEdge(revoked, 401);

        HttpResponse<String> suspended = send(
                "POST",
                command("/api/v1/organizations/" + org + "/suspend"),
                platformAdmin,
                "{\"reason\":\"Unpaid invoices\"}");

        assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(200);
        assertThat(JSONObjectUtils.parse(suspended.body())).containsEntry("status", "suspended");
        awaitEdge(lasting, 401);
        awaitEdge(expiring, 401);
        awaitEdge(widget, 401);
        HttpResponse<String> refused = edge(lasting);
        assertThat(JSONObjectUtils.parse(refused.body())).containsEntry("code", "INVALID_API_KEY");
        // The organization's admins still read, and see why.
        await().atMost(EDGE_BOUND).untilAsserted(() -> {
            HttpResponse<String> organization =
                    send("GET", query("/api/v1/organizations/" + org), token("bob", org, "org_member"), null);
            assertThat(organization.statusCode()).isEqualTo(200);
            assertThat(JSONObjectUtils.parse(organization.body()))
                    .containsEntry("status", "suspended")
                    .containsEntry("suspended_reason", "Unpaid invoices");
        });
        Instant expiry = Instant.parse((String) expiring.get("expires_at"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Instant.now().isAfter(expiry.plusSeconds(2)));

        HttpResponse<String> reactivated =
                send("POST", command("/api/v1/organizations/" + org + "/reactivate"), platformAdmin, null);

        assertThat(reactivated.statusCode()).as(reactivated.body()).isEqualTo(200);
        assertThat(JSONObjectUtils.parse(reactivated.body())).containsEntry("status", "active");
        awaitEdge(lasting, 200);
        awaitEdge(widget, 200);
        assertThat(edge(expiring).statusCode()).isEqualTo(401);
        assertThat(edge(revoked).statusCode()).isEqualTo(401);
    }

    @Test
    void revokeAllRefusesEveryKeyOfTheOrganizationAndRecordsTheReasonInEachHistory() throws Exception {
        String org = createOrganization(token("root", null, "platform_admin"));
        String admin = token("alice", org, "org_admin");
        String database = createDatabase(admin, org);
        List<Map<String, Object>> keys = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            keys.add(createKey(admin, org, i % 4 == 0 ? database : null, null));
        }
        for (Map<String, Object> key : keys) {
            awaitEdge(key, 200);
        }

        HttpResponse<String> response = send(
                "POST",
                command("/api/v1/organizations/" + org + "/api-keys/revoke-all"),
                admin,
                "{\"reason\":\"Leaked in a public repository\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSONObjectUtils.parse(response.body())).containsEntry("revoked", 12L);
        for (Map<String, Object> key : keys) {
            awaitEdge(key, 401);
        }
        String history =
                "/api/v1/organizations/" + org + "/api-keys/" + keys.get(1).get("id") + "/history";
        await().atMost(EDGE_BOUND).untilAsserted(() -> {
            HttpResponse<String> entries = send("GET", query(history), admin, null);
            assertThat(entries.body())
                    .contains("\"type\":\"api_key.revoked\"")
                    .contains("\"subject\":\"alice\"")
                    .contains("\"reason\":\"Leaked in a public repository\"");
        });
    }

    @Test
    void revokeAllOfOneDatabaseRefusesOnlyItsPublicKeys() throws Exception {
        String org = createOrganization(token("root", null, "platform_admin"));
        String admin = token("alice", org, "org_admin");
        String database = createDatabase(admin, org);
        String otherDatabase = createDatabase(admin, org);
        Map<String, Object> inDatabase = createKey(admin, org, database, null);
        Map<String, Object> inOtherDatabase = createKey(admin, org, otherDatabase, null);
        Map<String, Object> secret = createKey(admin, org, null, null);
        awaitEdge(inDatabase, 200);
        awaitEdge(inOtherDatabase, 200);

        HttpResponse<String> response = send(
                "POST",
                command("/api/v1/organizations/" + org + "/api-keys/revoke-all"),
                admin,
                "{\"reason\":\"widget abuse\",\"database_id\":\"" + database + "\"}");

        assertThat(JSONObjectUtils.parse(response.body())).containsEntry("revoked", 1L);
        awaitEdge(inDatabase, 401);
        assertThat(edge(inOtherDatabase).statusCode()).isEqualTo(200);
        assertThat(edge(secret).statusCode()).isEqualTo(200);
    }

    @Test
    void aDeletedDatabaseRefusesItsKeysAndIsUnknownToSecretKeys() throws Exception {
        String org = createOrganization(token("root", null, "platform_admin"));
        String admin = token("alice", org, "org_admin");
        String database = createDatabase(admin, org);
        Map<String, Object> widget = createKey(admin, org, database, null);
        Map<String, Object> secret = createKey(admin, org, null, null);
        awaitEdge(widget, 200);
        await().atMost(EDGE_BOUND).until(() -> edge(secret, database).statusCode() == 200);

        HttpResponse<String> deleted =
                send("DELETE", command("/api/v1/organizations/" + org + "/databases/" + database), admin, null);

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        awaitEdge(widget, 401);
        await().atMost(EDGE_BOUND).until(() -> edge(secret, database).statusCode() == 403);
        assertThat(edge(secret).statusCode()).isEqualTo(200);
        await().atMost(EDGE_BOUND)
                .untilAsserted(() -> assertThat(
                                send("GET", query("/api/v1/organizations/" + org + "/databases"), admin, null)
                                        .body())
                        .doesNotContain(database));
        HttpResponse<String> lateKey = send(
                "POST",
                command("/api/v1/organizations/" + org + "/databases/" + database + "/api-keys"),
                admin,
                "{\"name\":\"late\"}");
        assertThat(lateKey.statusCode()).isEqualTo(404);
    }

    private static void awaitEdge(Map<String, Object> key, int status) {
        await().atMost(EDGE_BOUND)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> edge(key).statusCode() == status);
    }

    private static HttpResponse<String> edge(Map<String, Object> key) throws Exception {
        return edge(key, null);
    }

    /** One call through the edge with the key; a public key sends its database's origin. */
    private static HttpResponse<String> edge(Map<String, Object> key, String databaseId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(service("auth-edge", "/api/v1/chat/message"))
                .header("X-API-Key", (String) key.get("key"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hi\"}"));
        if ("public".equals(key.get("type"))) {
            request.header("Origin", ORIGIN);
        }
        if (databaseId != null) {
            request.header("X-Database-Id", databaseId);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> createKey(String admin, String org, String database, Instant expiresAt)
            throws Exception {
        String path = database == null
                ? "/api/v1/organizations/" + org + "/api-keys"
                : "/api/v1/organizations/" + org + "/databases/" + database + "/api-keys";
        String body =
                expiresAt == null ? "{\"name\":\"key\"}" : "{\"name\":\"key\",\"expires_at\":\"" + expiresAt + "\"}";
        HttpResponse<String> response = send("POST", command(path), admin, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSONObjectUtils.parse(response.body());
    }

    private static String createOrganization(String platformAdmin) throws Exception {
        HttpResponse<String> response = send(
                "POST",
                command("/api/v1/organizations"),
                platformAdmin,
                "{\"name\":\"Acme " + UUID.randomUUID() + "\",\"plan\":\"pro\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return (String) JSONObjectUtils.parse(response.body()).get("id");
    }

    private static String createDatabase(String admin, String org) throws Exception {
        HttpResponse<String> response = send(
                "POST",
                command("/api/v1/organizations/" + org + "/databases"),
                admin,
                "{\"name\":\"main\",\"allowed_origins\":[\"" + ORIGIN + "\"]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return (String) JSONObjectUtils.parse(response.body()).get("id");
    }

    private static HttpResponse<String> send(String method, URI uri, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(String subject, String organization, String role) throws Exception {
        String body = organization == null
                ? "{\"subject\":\"%s\",\"roles\":[\"%s\"]}".formatted(subject, role)
                : "{\"subject\":\"%s\",\"organization_id\":\"%s\",\"roles\":[\"%s\"]}"
                        .formatted(subject, organization, role);
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + idpPort + "/dev/token"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return (String) JSONObjectUtils.parse(response.body()).get("access_token");
    }

    private static URI command(String path) {
        return service("command-service", path);
    }

    private static URI query(String path) {
        return service("query-service", path);
    }

    private static URI service(String name, String path) {
        return URI.create("http://" + HOST + ":" + SERVICE_PORTS.get(name) + path);
    }

    private static int freePort() throws IOException {
        return TestPorts.free();
    }
}
