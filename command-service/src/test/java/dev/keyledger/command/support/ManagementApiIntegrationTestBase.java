package dev.keyledger.command.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.CommandServiceApplication;
import dev.keyledger.testsupport.TestInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context of the management API tests: the whole service on a random port with a
 * fresh PostgreSQL database and real RS256 tokens. Subclasses share it; tests keep apart by
 * creating their own organizations.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + CommandServiceApplication.CONFIG_NAME)
public abstract class ManagementApiIntegrationTestBase {

    protected static final String PLATFORM_ADMIN_TOKEN = TestJwts.token("platform-ops", null, TestJwts.PLATFORM_ADMIN);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "command_api");
        registry.add("management.server.port", () -> "0");
        registry.add("keyledger.api-key.expiry-poll-interval", () -> "200ms");
        TestJwts.register(registry);
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    protected ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    /** Creates an organization on the free plan and returns its id. */
    protected String newOrganization() {
        ApiClient.Response response =
                api.post("/api/v1/organizations", PLATFORM_ADMIN_TOKEN, "{\"name\":\"Acme\",\"plan\":\"free\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.text("id");
    }

    /** Creates a database of the organization and returns its id. */
    protected String newDatabase(String organizationId) {
        ApiClient.Response response = api.post(
                "/api/v1/organizations/" + organizationId + "/databases",
                orgAdmin(organizationId),
                "{\"name\":\"Main\",\"allowed_origins\":[\"https://app.example.com\"]}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.text("id");
    }

    /** Issues a secret key and returns the whole create response. */
    protected ApiClient.Response newSecretKey(String organizationId) {
        ApiClient.Response response = api.post(
                "/api/v1/organizations/" + organizationId + "/api-keys", orgAdmin(organizationId), "{\"name\":\"CI\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response;
    }

    protected static String orgAdmin(String organizationId) {
        return TestJwts.token("alice", organizationId, TestJwts.ORG_ADMIN);
    }

    protected static String orgMember(String organizationId) {
        return TestJwts.token("bob", organizationId, TestJwts.ORG_MEMBER);
    }

    /** Rows in the event store, expiries excluded (the expiry poller may add those at any time). */
    protected long storedEvents() {
        return jdbc.sql("SELECT count(*) FROM domainevententry WHERE payloadtype NOT LIKE '%ApiKeyExpiredEvent'")
                .query(Long.class)
                .single();
    }

    /** Payload types of an aggregate's events, in order. */
    protected java.util.List<String> eventTypes(String aggregateId) {
        return jdbc
                .sql("SELECT payloadtype FROM domainevententry WHERE aggregateidentifier = ?"
                        + " ORDER BY sequencenumber")
                .param(aggregateId)
                .query(String.class)
                .list()
                .stream()
                .map(type -> type.substring(type.lastIndexOf('.') + 1))
                .toList();
    }
}
