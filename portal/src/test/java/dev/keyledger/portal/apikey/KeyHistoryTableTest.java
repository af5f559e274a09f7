package dev.keyledger.portal.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oidcLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * A key's page replays its life: the history table (named by its heading {@code History}) has one
 * row per event with the event, time, actor, source address and the key's state after it, as the
 * read API's history answers them. The real portal in front of a stand-in read API on loopback.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=portal",
            "server.port=0",
            "management.server.port=0",
            "spring.security.oauth2.client.registration.keyledger.provider=stub",
            "spring.security.oauth2.client.provider.stub.authorization-uri=http://127.0.0.1:9/oauth2/authorize",
            "spring.security.oauth2.client.provider.stub.token-uri=http://127.0.0.1:9/oauth2/token",
            "spring.security.oauth2.client.provider.stub.jwk-set-uri=http://127.0.0.1:9/jwks",
            "spring.security.oauth2.client.provider.stub.user-name-attribute=sub"
        })
@AutoConfigureMockMvc
class KeyHistoryTableTest {

    static final String ORG = "org_01JH0000000000000000000009";
    static final String KEY = "key_01JH0000000000000000000009";
    static final String SUCCESSOR = "key_01JH000000000000000000000S";

    private static final HttpServer API = start();

    @DynamicPropertySource
    static void apis(DynamicPropertyRegistry registry) {
        String url = "http://127.0.0.1:" + API.getAddress().getPort();
        registry.add("keyledger.portal.command-url", () -> url);
        registry.add("keyledger.portal.query-url", () -> url);
    }

    @AfterAll
    static void stop() {
        API.stop(0);
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    ClientRegistrationRepository registrations;

    @Test
    void theHistoryTableShowsEveryEventWithActorSourceAddressAndTheStateAfterIt() throws Exception {
        String page = page("/organizations/" + ORG + "/api-keys/" + KEY);

        String table = table(page);
        assertThat(table).contains("aria-labelledby=\"history-title\"");
        assertThat(page).contains("<h2 id=\"history-title\">History</h2>");
        assertThat(headers(table)).containsExactly("Event", "Time", "Actor", "Source address", "State after");
        List<List<String>> rows = rows(table);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0))
                .containsExactly(
                        "api_key.issued",
                        "2026-01-01 00:00:00 UTC",
                        "alice",
                        "203.0.113.7",
                        "active; name first; expires 2030-01-01 00:00:00 UTC");
        assertThat(rows.get(1).get(0)).isEqualTo("api_key.renamed");
        assertThat(rows.get(1).get(4)).isEqualTo("active; name second; expires 2030-01-01 00:00:00 UTC");
        assertThat(rows.get(2).get(4))
                .isEqualTo("active; name second; expires 2026-01-02 00:00:00 UTC; successor " + SUCCESSOR);
        assertThat(rows.get(3).subList(0, 4))
                .containsExactly("api_key.revoked", "2026-01-01 02:00:00 UTC", "bob", "198.51.100.2");
        assertThat(rows.get(3).get(4))
                .isEqualTo("revoked; name second; expires 2026-01-02 00:00:00 UTC; successor " + SUCCESSOR);
    }

    private String page(String path) throws Exception {
        MvcResult result = mvc.perform(get(path)
                        .session(new MockHttpSession())
                        .with(oidcLogin()
                                .clientRegistration(registrations.findByRegistrationId("keyledger"))
                                .idToken(token -> token.subject("alice")
                                        .claim("organization_id", ORG)
                                        .claim("roles", List.of("org_member")))))
                .andReturn();
        assertThat(result.getResponse().getStatus())
                .as(result.getResponse().getContentAsString())
                .isEqualTo(200);
        return result.getResponse().getContentAsString();
    }

    private static String table(String html) {
        Matcher section = Pattern.compile("<section aria-labelledby=\"history-title\">(.*?)</section>", Pattern.DOTALL)
                .matcher(html);
        assertThat(section.find()).as("history section").isTrue();
        return section.group(1);
    }

    private static List<String> headers(String table) {
        return Pattern.compile("<th scope=\"col\">([^<]*)</th>")
                .matcher(table)
                .results()
                .map(match -> match.group(1).strip())
                .toList();
    }

    private static List<List<String>> rows(String table) {
        String body = table.substring(table.indexOf("<tbody>"));
        return Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL)
                .matcher(body)
                .results()
                .map(row -> Pattern.compile("<td>([^<]*)</td>")
                        .matcher(row.group(1))
                        .results()
                        .map(cell -> cell.group(1).strip().replace("&#39;", "'"))
                        .toList())
                .toList();
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", KeyHistoryTableTest::handle);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String key = "/api/v1/organizations/" + ORG + "/api-keys/" + KEY;
        if (path.equals(key)) {
            send(
                    exchange,
                    200,
                    "{\"id\":\"" + KEY + "\",\"type\":\"secret\",\"name\":\"second\",\"organization_id\":\""
                            + ORG + "\",\"database_id\":null,\"masked\":\"sk_...abcd\",\"last_four\":\"abcd\","
                            + "\"created_at\":\"2026-01-01T00:00:00Z\",\"created_by\":\"alice\","
                            + "\"expires_at\":\"2026-01-02T00:00:00Z\",\"status\":\"revoked\",\"revoked_at\":"
                            + "\"2026-01-01T02:00:00Z\",\"revoked_by\":\"bob\",\"replaced_by\":\"" + SUCCESSOR
                            + "\",\"last_used_at\":null,\"usage_count\":0,\"age_days\":1}");
        } else if (path.equals(key + "/history")) {
            send(
                    exchange,
                    200,
                    "{\"data\":["
                            + String.join(
                                    ",",
                                    entry(
                                            0,
                                            "api_key.issued",
                                            "2026-01-01T00:00:00Z",
                                            "alice",
                                            "203.0.113.7",
                                            state("active", "first", "2030-01-01T00:00:00Z", null)),
                                    entry(
                                            1,
                                            "api_key.renamed",
                                            "2026-01-01T00:30:00Z",
                                            "alice",
                                            "203.0.113.7",
                                            state("active", "second", "2030-01-01T00:00:00Z", null)),
                                    entry(
                                            2,
                                            "api_key.rolled",
                                            "2026-01-01T01:00:00Z",
                                            "alice",
                                            "203.0.113.7",
                                            state("active", "second", "2026-01-02T00:00:00Z", SUCCESSOR)),
                                    entry(
                                            3,
                                            "api_key.revoked",
                                            "2026-01-01T02:00:00Z",
                                            "bob",
                                            "198.51.100.2",
                                            state("revoked", "second", "2026-01-02T00:00:00Z", SUCCESSOR)))
                            + "]}");
        } else if (path.equals(key + "/usage")) {
            send(exchange, 200, "{\"data\":[]}");
        } else {
            send(exchange, 404, "{\"error\":\"not_found\",\"message\":\"No such resource\",\"code\":\"NOT_FOUND\"}");
        }
    }

    private static String entry(int sequence, String type, String at, String subject, String ip, String state) {
        return "{\"event_id\":\"evt_" + sequence + "\",\"aggregate_id\":\"" + KEY + "\",\"aggregate_type\":\"api_key\","
                + "\"sequence\":" + sequence + ",\"type\":\"" + type + "\",\"occurred_at\":\"" + at + "\","
                + "\"actor\":{\"subject\":\"" + subject + "\",\"ip\":\"" + ip + "\",\"user_agent\":\"portal/1.0\"},"
                + "\"details\":{},\"state\":" + state + "}";
    }

    private static String state(String status, String name, String expiresAt, String replacedBy) {
        return "{\"status\":\"" + status + "\",\"name\":\"" + name + "\",\"expires_at\":\"" + expiresAt
                + "\",\"replaced_by\":" + (replacedBy == null ? "null" : "\"" + replacedBy + "\"") + "}";
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
