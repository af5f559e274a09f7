package dev.keyledger.standalone.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyledger.standalone.StandaloneApplication;
import dev.keyledger.standalone.hostile.RawHttp.Request;
import dev.keyledger.standalone.hostile.RawHttp.Response;
import dev.keyledger.standalone.services.ServiceCatalog;
import dev.keyledger.standalone.services.ServiceDefinition;
import dev.keyledger.testsupport.TestPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Black-box hostile input against the whole running standalone (one start for the class): every
 * endpoint of the command-service, the query-service, the edge (proxy and forward-auth) and the
 * management ports gets malformed, huge and deeply nested bodies, wrong content types and methods,
 * bad and huge headers, bad query parameters and path ids, NUL, lone surrogates, backslashes, tabs,
 * huge and negative numbers and odd dates. Each answer must be a 4xx with the contract's error JSON
 * ({@code error}, {@code message}, {@code code}) and no stack trace; never a 5xx. The issue-8 salvo
 * then sends edge-case values to every write endpoint (201 or 4xx) and checks the platform still
 * works end to end: a new key reaches the edge, its revocation is enforced within a liveness
 * bound, and the projection has parked nothing.
 */
class HostileRequestsIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STACK_TRACE =
            Pattern.compile("Exception|\\tat |at dev\\.keyledger|at java\\.|at org\\.");
    private static final String DB_UNKNOWN = "db_01JH0000000000000000000000";
    private static final String KEY_UNKNOWN = "key_01JH0000000000000000000000";
    private static final String ORG_UNKNOWN = "org_01JH0000000000000000000000";

    // Requests whose answer is still wrong because of another area's open work (see the disabled
    // tests at the end); they run there, not in the main test, so the main test stays strict.
    static final String COMMAND_CONTAINER_JSON = "command-service container-level refusals as error JSON";
    static final String IDEMPOTENCY_KEY_RULE = "command-service Idempotency-Key rule";
    static final String DUPLICATE_AUTHORIZATION = "resource server refusing two Authorization headers";
    static final String EDGE_CODEC_JSON = "edge codec-level refusals as error JSON";
    static final String EDGE_MANAGEMENT_JSON = "edge management port 404/405 as error JSON";

    /** Paths Tomcat refuses itself: NUL, encoded slash or backslash, undecodable bytes, a raw backslash. */
    private static final Pattern CONTAINER_REFUSED_TARGET =
            Pattern.compile("%00|%ED%A0%80|%5C|%2F|%zz|\\\\", Pattern.CASE_INSENSITIVE);

    @TempDir
    static Path dataDir;

    private static final Map<String, Integer> PORTS = new HashMap<>();
    private static final Map<String, Integer> MANAGEMENT_PORTS = new HashMap<>();
    private static int idpPort;
    private static ConfigurableApplicationContext standalone;

    private static String platformAdmin;
    private static String orgAdmin;
    private static String orgMember;
    private static String org;
    private static String db;
    private static String secretKeyId;
    private static String secretKey;
    private static String publicKey;

    @BeforeAll
    static void start() throws Exception {
        List<String> args = new ArrayList<>();
        idpPort = freePort();
        args.add("--keyledger.standalone.data-dir=" + dataDir);
        args.add("--keyledger.standalone.postgres.port=" + freePort());
        args.add("--keyledger.standalone.kafka.port=" + freePort());
        args.add("--keyledger.standalone.kafka.controller-port=" + freePort());
        args.add("--keyledger.standalone.idp.port=" + idpPort);
        args.add("--keyledger.standalone.upstream.port=" + freePort());
        for (ServiceDefinition service : ServiceCatalog.SERVICES) {
            int port = freePort();
            int management = freePort();
            PORTS.put(service.name(), port);
            MANAGEMENT_PORTS.put(service.name(), management);
            args.add("--keyledger.standalone.services." + service.name() + ".port=" + port);
            args.add("--keyledger.standalone.services." + service.name() + ".management-port=" + management);
        }
        standalone = StandaloneApplication.start(args.toArray(String[]::new));

        platformAdmin = token("root", null, "platform_admin");
        Response created = send(
                "command-service",
                post(
                        "/api/v1/organizations",
                        platformAdmin,
                        "{\"name\":\"Hostile " + UUID.randomUUID() + "\",\"plan\":\"pro\"}"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        org = json(created).path("id").asText();
        orgAdmin = token("alice", org, "org_admin");
        orgMember = token("bob", org, "org_member");
        Response database = send(
                "command-service",
                post(
                        "/api/v1/organizations/" + org + "/databases",
                        orgAdmin,
                        "{\"name\":\"main\",\"allowed_origins\":[\"https://app.example.com\"]}"));
        assertThat(database.status()).as(database.body()).isEqualTo(201);
        db = json(database).path("id").asText();
        Response secret = send("command-service", post(orgPath("/api-keys"), orgAdmin, "{\"name\":\"backend\"}"));
        assertThat(secret.status()).as(secret.body()).isEqualTo(201);
        secretKeyId = json(secret).path("id").asText();
        secretKey = json(secret).path("key").asText();
        Response pub = send(
                "command-service", post(orgPath("/databases/" + db + "/api-keys"), orgAdmin, "{\"name\":\"widget\"}"));
        assertThat(pub.status()).as(pub.body()).isEqualTo(201);
        publicKey = json(pub).path("key").asText();
    }

    @AfterAll
    static void stop() {
        if (standalone != null) {
            standalone.close();
        }
    }

    @Test
    void everyHostileRequestIsAnswered4xxWithTheErrorJson() throws Exception {
        List<Case> cases = new ArrayList<>();
        commandServiceCases(cases);
        queryServiceCases(cases);
        edgeCases(cases);
        managementCases(cases);
        List<Case> ready = cases.stream()
                .map(HostileRequestsIntegrationTest::tagged)
                .filter(hostile -> hostile.waitingFor() == null)
                .toList();

        List<String> violations = run("Hostile requests", ready);

        assertThat(ready).hasSizeGreaterThanOrEqualTo(200);
        assertThat(violations).isEmpty();
    }

    private static List<String> run(String title, List<Case> cases) throws IOException {
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        for (Case hostile : cases) {
            Response response = send(hostile.service(), hostile.request());
            statuses.merge(response.status(), 1, Integer::sum);
            String problem = problem(response, true);
            if (problem != null) {
                violations.add(hostile.service() + " " + hostile.request() + " -> " + response.status() + " " + problem
                        + ": " + abbreviate(response.body()));
            }
        }
        System.out.printf(
                "%s: %d sent, statuses %s, %d violations%n", title, cases.size(), statuses, violations.size());
        violations.forEach(violation -> System.out.println("  VIOLATION " + violation));
        return violations;
    }

    private static List<String> runWaiting(String waitingFor) throws IOException {
        List<Case> cases = new ArrayList<>();
        commandServiceCases(cases);
        queryServiceCases(cases);
        edgeCases(cases);
        managementCases(cases);
        List<Case> selected = cases.stream()
                .map(HostileRequestsIntegrationTest::tagged)
                .filter(hostile -> waitingFor.equals(hostile.waitingFor()))
                .toList();
        assertThat(selected).isNotEmpty();
        return run(waitingFor, selected);
    }

    @Test
    void commandServiceContainerLevelRefusalsAreTheErrorJson() throws Exception {
        assertThat(runWaiting(COMMAND_CONTAINER_JSON)).isEmpty();
    }

    @Test
    void idempotencyKeysOutsideTheContractAreRefused() throws Exception {
        assertThat(runWaiting(IDEMPOTENCY_KEY_RULE)).isEmpty();
    }

    @Test
    void twoAuthorizationHeadersAreRefused() throws Exception {
        assertThat(runWaiting(DUPLICATE_AUTHORIZATION)).isEmpty();
    }

    @Test
    void edgeCodecLevelRefusalsAreTheErrorJson() throws Exception {
        assertThat(runWaiting(EDGE_CODEC_JSON)).isEmpty();
    }

    @Test
    void edgeManagementRefusalsAreTheErrorJson() throws Exception {
        assertThat(runWaiting(EDGE_MANAGEMENT_JSON)).isEmpty();
    }

    @Test
    void edgeCaseValuesOnEveryWriteEndpointNeverWedgeTheReadSide() throws Exception {
        double parkedBefore = projectionFailures();
        List<Case> salvo = new ArrayList<>();
        writeSalvo(salvo);

        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        for (Case write : salvo) {
            Response response = send(write.service(), write.request());
            statuses.merge(response.status(), 1, Integer::sum);
            String problem = response.status() == 200 || response.status() == 201 || response.status() == 204
                    ? null
                    : problem(response, false);
            if (problem != null) {
                violations.add(write.request() + " "
                        + abbreviate(new String(
                                write.request().body() == null
                                        ? new byte[0]
                                        : write.request().body(),
                                StandardCharsets.UTF_8))
                        + " -> " + response.status() + " " + problem + ": " + abbreviate(response.body()));
            }
        }
        System.out.printf(
                "Write salvo: %d sent, statuses %s, %d violations%n", salvo.size(), statuses, violations.size());
        violations.forEach(violation -> System.out.println("  VIOLATION " + violation));
        assertThat(violations).isEmpty();

        // The read side and the edge still work: a new key is accepted, then refused once revoked.
        long issuedAt = System.nanoTime();
        Response issued =
                send("command-service", post(orgPath("/api-keys"), orgAdmin, "{\"name\":\"after the salvo\"}"));
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        String keyId = json(issued).path("id").asText();
        String key = json(issued).path("key").asText();
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> send("auth-edge", proxied(key)).status() == 200);
        long acceptedAfter = Duration.ofNanos(System.nanoTime() - issuedAt).toMillis();

        Response revoked = send("command-service", delete(orgPath("/api-keys/" + keyId), orgAdmin));
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
        long revokedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> send("auth-edge", proxied(key)).status() == 401);
        long refusedAfter = Duration.ofNanos(System.nanoTime() - revokedAt).toMillis();
        System.out.printf(
                "After the salvo: new key accepted by the edge %d ms after its 201, refused %d ms after the revoke's 204%n",
                acceptedAfter, refusedAfter);

        assertThat(projectionFailures()).isEqualTo(parkedBefore);
    }

    // ---------------------------------------------------------------------------------------------
    // Hostile requests by service

    private static void commandServiceCases(List<Case> cases) throws IOException {
        String c = "command-service";
        List<String[]> bodyEndpoints = List.of(
                new String[] {"POST", "/api/v1/organizations", platformAdmin},
                new String[] {"PUT", orgPath("/plan"), platformAdmin},
                new String[] {"POST", orgPath("/databases"), orgAdmin},
                new String[] {"PUT", orgPath("/databases/" + db + "/allowed-origins"), orgAdmin},
                new String[] {"POST", orgPath("/api-keys"), orgAdmin},
                new String[] {"POST", orgPath("/databases/" + db + "/api-keys"), orgAdmin},
                new String[] {"PATCH", orgPath("/api-keys/" + secretKeyId), orgAdmin},
                new String[] {"POST", orgPath("/api-keys/" + secretKeyId + "/roll"), orgAdmin});
        List<String> badBodies = List.of(
                "",
                "{",
                "}",
                "[]",
                "null",
                "\"text\"",
                "12",
                "{} trailing",
                "{\"name\":\"a\",\"name\":\"b\",\"plan\":\"free\",\"allowed_origins\":[],\"grace_period_seconds\":1}",
                "{\"unknown\":1}",
                "{\"name\":5,\"plan\":5,\"allowed_origins\":5,\"grace_period_seconds\":\"5\"}",
                "{\"name\":\"nul\\u0000\",\"plan\":\"free\\u0000\",\"allowed_origins\":[\"https://a\\u0000.com\"],"
                        + "\"grace_period_seconds\":1e400}",
                "{\"name\":\"\\ud800\",\"plan\":\"\\udc00\",\"allowed_origins\":[\"https://\\ud800.com\"],"
                        + "\"grace_period_seconds\":-1}",
                "{\"name\":\"" + "x".repeat(300) + "\",\"plan\":\"" + "y".repeat(300) + "\",\"allowed_origins\":[\""
                        + "https://" + "a".repeat(400) + ".com\"],\"grace_period_seconds\":99999999999999999999999}",
                "[".repeat(100_000),
                "{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000),
                "{\"name\":\"" + "z".repeat(2_000_000) + "\"}",
                "{\"name\":\"tab\\there\\\\back\",\"plan\":\"pro\\t\",\"allowed_origins\":[\"https://a.com\\\\\"],"
                        + "\"grace_period_seconds\":1.5}",
                "{\"name\":null,\"plan\":null,\"allowed_origins\":null,\"grace_period_seconds\":null}",
                "{\"name\":\"\\uDBFF\\uDFFF\",\"plan\":\"enterprise\",\"limits\":{\"requests_per_minute\":-5,"
                        + "\"requests_per_day\":1e30},\"allowed_origins\":[[]],\"grace_period_seconds\":604801}");
        for (String[] endpoint : bodyEndpoints) {
            for (String body : badBodies) {
                cases.add(new Case(
                        c,
                        bearer(RawHttp.request(endpoint[0], endpoint[1]), endpoint[2])
                                .body("application/json", body)));
            }
            // Not UTF-8, wrong or missing content types.
            cases.add(new Case(
                    c,
                    bearer(RawHttp.request(endpoint[0], endpoint[1]), endpoint[2])
                            .header("Content-Type", "application/json")
                            .rawBody(new byte[] {
                                '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'
                            })));
            cases.add(new Case(
                    c,
                    bearer(RawHttp.request(endpoint[0], endpoint[1]), endpoint[2])
                            .body("text/plain", "{}")));
            cases.add(new Case(
                    c,
                    bearer(RawHttp.request(endpoint[0], endpoint[1]), endpoint[2])
                            .body("application/xml", "<a/>")));
            cases.add(new Case(
                    c,
                    bearer(RawHttp.request(endpoint[0], endpoint[1]), endpoint[2])
                            .body("multipart/form-data; boundary=x", "--x--")));
            cases.add(new Case(
                    c,
                    bearer(RawHttp.request(endpoint[0], endpoint[1]), endpoint[2])
                            .rawBody("{}".getBytes(StandardCharsets.UTF_8))));
            cases.add(new Case(
                    c,
                    bearer(RawHttp.request(endpoint[0], endpoint[1]), endpoint[2])
                            .body("application/json;;;=", "{}")));
            // No token, a broken one, and an API key instead of a token.
            cases.add(new Case(c, RawHttp.request(endpoint[0], endpoint[1]).body("application/json", "{}")));
            cases.add(new Case(
                    c,
                    RawHttp.request(endpoint[0], endpoint[1])
                            .header("Authorization", "Bearer " + "e".repeat(3000) + ".x.y")
                            .body("application/json", "{}")));
            cases.add(new Case(
                    c,
                    RawHttp.request(endpoint[0], endpoint[1])
                            .header("X-API-Key", secretKey)
                            .body("application/json", "{}")));
        }
        // Bad methods.
        for (String[] call : List.of(
                new String[] {"PUT", "/api/v1/organizations"},
                new String[] {"DELETE", "/api/v1/organizations"},
                new String[] {"GET", orgPath("/api-keys/" + secretKeyId + "/roll")},
                new String[] {"POST", orgPath("/plan")},
                new String[] {"PROPFIND", orgPath("/api-keys")},
                new String[] {"TRACE", orgPath("/api-keys")},
                new String[] {"PATCH", orgPath("/databases/" + db)})) {
            cases.add(new Case(
                    c, bearer(RawHttp.request(call[0], call[1]), orgAdmin).body("application/json", "{}")));
        }
        // Bad path ids on every call that names one.
        for (String bad : List.of(
                "org_",
                "org_" + "A".repeat(5000),
                "org_..",
                "org_%00",
                "org_%C3%A4",
                "org_%ED%A0%80",
                "org_a%5Cb",
                "org_a%09b",
                "org_a;b",
                "ORG_01JH0000000000000000000000")) {
            cases.add(new Case(
                    c,
                    bearer(RawHttp.request("POST", "/api/v1/organizations/" + bad + "/api-keys"), platformAdmin)
                            .body("application/json", "{\"name\":\"x\"}")));
            cases.add(new Case(
                    c,
                    bearer(RawHttp.request("PUT", "/api/v1/organizations/" + bad + "/plan"), platformAdmin)
                            .body("application/json", "{\"plan\":\"free\"}")));
        }
        for (String bad :
                List.of("key_", "key_" + "B".repeat(5000), "key_%00", "key_..%2F..", "sk_live_x", KEY_UNKNOWN)) {
            cases.add(new Case(c, bearer(RawHttp.request("DELETE", orgPath("/api-keys/" + bad)), orgAdmin)));
            cases.add(new Case(
                    c,
                    bearer(RawHttp.request("PATCH", orgPath("/api-keys/" + bad)), orgAdmin)
                            .body("application/json", "{\"name\":\"x\"}")));
            cases.add(new Case(
                    c,
                    bearer(RawHttp.request("POST", orgPath("/api-keys/" + bad + "/roll")), orgAdmin)
                            .body("application/json", "{\"grace_period_seconds\":0}")));
        }
        for (String bad : List.of("db_", "db_%00", DB_UNKNOWN, "db_" + "C".repeat(5000))) {
            cases.add(new Case(
                    c,
                    bearer(RawHttp.request("PUT", orgPath("/databases/" + bad + "/allowed-origins")), orgAdmin)
                            .body("application/json", "{\"allowed_origins\":[]}")));
            cases.add(new Case(
                    c,
                    bearer(RawHttp.request("POST", orgPath("/databases/" + bad + "/api-keys")), orgAdmin)
                            .body("application/json", "{\"name\":\"x\"}")));
        }
        // Another organization's resources.
        cases.add(new Case(
                c,
                bearer(RawHttp.request("POST", "/api/v1/organizations/" + ORG_UNKNOWN + "/api-keys"), orgAdmin)
                        .body("application/json", "{\"name\":\"x\"}")));
        // Bad and huge headers.
        Request create = bearer(RawHttp.request("POST", orgPath("/api-keys")), orgAdmin);
        cases.add(new Case(
                c, create.header("Idempotency-Key", "k".repeat(256)).body("application/json", "{\"name\":\"x\"}")));
        cases.add(new Case(
                c, create.header("Idempotency-Key", "tab\there").body("application/json", "{\"name\":\"x\"}")));
        cases.add(new Case(c, create.header("Idempotency-Key", "").body("application/json", "{\"name\":\"x\"}")));
        cases.add(new Case(
                c, create.header("Idempotency-Key", "\u00e4\u00f6").body("application/json", "{\"name\":\"x\"}")));
        cases.add(
                new Case(c, create.header("X-Huge", "h".repeat(70_000)).body("application/json", "{\"name\":\"x\"}")));
        cases.add(new Case(c, create.header("X-Nul", "a\u0000b").body("application/json", "{\"name\":\"x\"}")));
        cases.add(new Case(c, create.header("Content-Length", "-1").rawBody("{}".getBytes(StandardCharsets.UTF_8))));
        cases.add(new Case(
                c,
                create.header("Content-Type", "application/json")
                        .header("Transfer-Encoding", "chunked")
                        .rawBody("zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8))));
        cases.add(new Case(
                c,
                RawHttp.request("POST", orgPath("/api-keys"))
                        .header("Authorization", "Basic YWxpY2U6c2VjcmV0")
                        .body("application/json", "{\"name\":\"x\"}")));
        cases.add(new Case(
                c,
                RawHttp.request("POST", orgPath("/api-keys"))
                        .header("Authorization", "Bearer " + orgAdmin)
                        .header("Authorization", "Bearer " + platformAdmin)
                        .body("application/json", "{\"name\":\"x\"}")));
        // Malformed request targets and unknown routes.
        for (String target : List.of(
                "/api/v1/organizations/%zz",
                "/api/v1/organizations/a\\b",
                "/api/v1//organizations",
                "/api/v1/organizations;jsessionid=1",
                "/api/v1/organizations/%2e%2e/%2e%2e/actuator/env",
                "/api/v2/organizations",
                "/does-not-exist",
                "/api/v1/organizations?name=" + "q".repeat(10_000))) {
            cases.add(new Case(
                    c, bearer(RawHttp.request("POST", target), platformAdmin).body("application/json", "{}")));
        }
    }

    private static void queryServiceCases(List<Case> cases) throws IOException {
        String q = "query-service";
        List<String> readPaths = List.of(
                orgPath("/api-keys"),
                orgPath("/api-keys/" + secretKeyId),
                orgPath("/api-keys/" + secretKeyId + "/usage"),
                orgPath("/api-keys/" + secretKeyId + "/history"),
                orgPath("/audit-log"),
                orgPath("/databases"));
        List<String> badQueries = List.of(
                "?from=-1000000000-01-01T00:00:00Z",
                "?to=-1000000000-01-01T00:00:00Z",
                "?from=%2B300000-01-01T00:00:00Z",
                "?to=%2B10000-01-01T00:00:00Z",
                "?from=2026-02-30T00:00:00Z",
                "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                "?from=1969-12-31T23:59:59Z",
                "?to=2026-01-01T00:00:00%00Z",
                "?interval=week",
                "?interval=%ED%A0%80",
                "?type=private",
                "?status=deleted",
                "?database_id=db_..%2Fx",
                "?database_id=org_01JH",
                "?valid_at=%2B999999999-12-31T23:59:59Z");
        // Each path gets the parameters it reads (others are ignored, which is fine and not counted).
        Map<String, List<String>> relevant = Map.of(
                orgPath("/api-keys"),
                        List.of(badQueries.get(10), badQueries.get(11), badQueries.get(12), badQueries.get(13)),
                orgPath("/api-keys/" + secretKeyId + "/usage"), badQueries.subList(0, 10),
                orgPath("/audit-log"), badQueries.subList(0, 8));
        relevant.forEach((path, queries) -> {
            for (String query : queries) {
                cases.add(new Case(q, bearer(RawHttp.request("GET", path + query), orgMember)));
            }
        });
        for (String query : badQueries.subList(0, 8)) {
            cases.add(new Case(
                    q,
                    bearer(RawHttp.request("GET", orgPath("/audit-log") + query), orgMember)
                            .header("Accept", "application/x-ndjson")));
        }
        for (String path : readPaths) {
            cases.add(new Case(q, RawHttp.request("GET", path)));
            cases.add(new Case(q, RawHttp.request("GET", path).header("Authorization", "Bearer not.a.jwt")));
            cases.add(new Case(q, RawHttp.request("GET", path).header("X-API-Key", secretKey)));
            cases.add(
                    new Case(q, bearer(RawHttp.request("POST", path), orgMember).body("application/json", "{}")));
            cases.add(new Case(q, bearer(RawHttp.request("DELETE", path), orgMember)));
            cases.add(
                    new Case(q, bearer(RawHttp.request("GET", path), orgMember).header("Accept", "image/png")));
            cases.add(new Case(q, bearer(RawHttp.request("GET", path), token("eve", ORG_UNKNOWN, "org_member"))));
        }
        for (String bad : List.of(
                "org_", "org_" + "A".repeat(5000), "org_%00", "org_a%5Cb", "org_%ED%A0%80", "org_a;b", "org_..")) {
            cases.add(new Case(
                    q, bearer(RawHttp.request("GET", "/api/v1/organizations/" + bad + "/api-keys"), platformAdmin)));
            cases.add(new Case(
                    q, bearer(RawHttp.request("GET", "/api/v1/organizations/" + bad + "/audit-log"), platformAdmin)));
        }
        for (String bad :
                List.of("key_", "key_" + "B".repeat(5000), "key_%00", "key_a%2Fb", "key_%C3%A4", KEY_UNKNOWN)) {
            cases.add(new Case(q, bearer(RawHttp.request("GET", orgPath("/api-keys/" + bad)), orgMember)));
            cases.add(new Case(q, bearer(RawHttp.request("GET", orgPath("/api-keys/" + bad + "/usage")), orgMember)));
            cases.add(new Case(q, bearer(RawHttp.request("GET", orgPath("/api-keys/" + bad + "/history")), orgMember)));
        }
        Request list = bearer(RawHttp.request("GET", orgPath("/api-keys")), orgMember);
        cases.add(new Case(q, list.header("X-Huge", "h".repeat(70_000))));
        cases.add(new Case(q, list.header("X-Nul", "a\u0000b")));
        cases.add(new Case(q, list.header("Accept", ";;;/")));
        cases.add(new Case(q, RawHttp.request("GET", "/api/v1/organizations/%zz/api-keys")));
        cases.add(new Case(q, RawHttp.request("GET", "/api/v1/organizations/a\\b/api-keys")));
        cases.add(
                new Case(q, bearer(RawHttp.request("GET", "/api/v1//organizations/" + org + "/api-keys"), orgMember)));
        cases.add(new Case(q, bearer(RawHttp.request("POST", "/api/v1/admin/rebuild"), orgAdmin)));
        cases.add(new Case(q, RawHttp.request("POST", "/api/v1/admin/rebuild")));
        cases.add(new Case(q, bearer(RawHttp.request("GET", "/api/v1/security-log"), orgMember)));
        cases.add(new Case(q, bearer(RawHttp.request("GET", "/does-not-exist"), orgMember)));
    }

    private static void edgeCases(List<Case> cases) throws IOException {
        String e = "auth-edge";
        String chat = "/api/v1/chat/message";
        // Missing, malformed, forged and misplaced keys: one 401 for all.
        for (String key : List.of(
                "",
                "sk_",
                secretKey.substring(0, secretKey.length() - 1),
                secretKey + "x",
                secretKey.substring(0, 10) + (secretKey.charAt(10) == 'A' ? 'B' : 'A') + secretKey.substring(11),
                "pk_" + secretKey.substring(3),
                "Bearer " + secretKey,
                "k".repeat(10_000),
                "sk_\u00e4\u00f6",
                secretKey.substring(0, 20) + "\t" + secretKey.substring(21))) {
            cases.add(new Case(
                    e, RawHttp.request("POST", chat).header("X-API-Key", key).body("application/json", "{}")));
        }
        cases.add(new Case(e, RawHttp.request("POST", chat).body("application/json", "{}")));
        cases.add(new Case(
                e, RawHttp.request("GET", chat).header("X-API-Key", secretKey).header("X-API-Key", publicKey)));
        // Scope and origin violations: 403.
        cases.add(new Case(
                e,
                RawHttp.request("GET", chat)
                        .header("X-API-Key", secretKey)
                        .header("Origin", "https://app.example.com")));
        cases.add(new Case(e, RawHttp.request("GET", chat).header("X-API-Key", publicKey)));
        cases.add(new Case(
                e,
                RawHttp.request("GET", chat)
                        .header("X-API-Key", publicKey)
                        .header("Origin", "https://evil.example.com")));
        cases.add(new Case(
                e,
                RawHttp.request("GET", "/api/v1/databases/" + DB_UNKNOWN + "/x").header("X-API-Key", secretKey)));
        cases.add(new Case(
                e,
                RawHttp.request("GET", "/api/v1/databases/" + db + "/x")
                        .header("X-API-Key", secretKey)
                        .header("X-Database-Id", DB_UNKNOWN)));
        // Paths that cannot be made canonical: 400 before any key lookup, with and without a key.
        for (String target : List.of(
                "/api//v1/chat/message",
                "/api/v1;x/chat/message",
                "/api/v1/%2Fchat/message",
                "/api/v1/%5Cchat",
                "/api/v1/chat\\message",
                "/api/v1/%00",
                "/api/v1/%252e%252e/x",
                "/api/v1/%zz",
                "/api/v1/%FF",
                "/api/../actuator/env",
                "/api/%2e%2e/actuator",
                "/api/v1/%C0%AF")) {
            cases.add(new Case(e, RawHttp.request("GET", target)));
            cases.add(new Case(e, RawHttp.request("GET", target).header("X-API-Key", secretKey)));
        }
        // Forward-auth: the original request's headers.
        String auth = "/_keyledger/auth";
        cases.add(new Case(e, RawHttp.request("GET", auth)));
        cases.add(new Case(
                e, RawHttp.request("GET", auth).header("X-API-Key", "sk_nope").header("X-Forwarded-Uri", chat)));
        for (String uri : List.of(
                "/api//x", "/api/%2e%2e/x", "/api/v1;x", "/api/v1/%64atabases/x", "/api/../x", "/api/%zz", "a\\b")) {
            cases.add(new Case(
                    e,
                    RawHttp.request("GET", auth)
                            .header("X-API-Key", secretKey)
                            .header("X-Forwarded-Method", "GET")
                            .header("X-Forwarded-Uri", uri)));
        }
        cases.add(new Case(
                e,
                RawHttp.request("GET", auth)
                        .header("X-API-Key", publicKey)
                        .header("X-Forwarded-Uri", chat)
                        .header("Origin", "https://evil.example.com")));
        // Bad and huge headers.
        cases.add(new Case(e, RawHttp.request("GET", chat).header("X-Huge", "h".repeat(70_000))));
        cases.add(new Case(e, RawHttp.request("GET", chat).header("X-API-Key", "a\u0000b")));
        cases.add(new Case(
                e,
                RawHttp.request("GET", chat)
                        .header("X-Database-Id", "db_\u00e4")
                        .header("X-API-Key", secretKey)));
    }

    private static void managementCases(List<Case> cases) throws IOException {
        for (String service : List.of("command-service", "query-service", "auth-edge")) {
            for (String[] call : List.of(
                    new String[] {"POST", "/actuator/rebuild"},
                    new String[] {"GET", "/actuator/env"},
                    new String[] {"GET", "/actuator/heapdump"},
                    new String[] {"POST", "/actuator/loggers/ROOT"},
                    new String[] {"POST", "/actuator/shutdown"},
                    new String[] {"DELETE", "/actuator/health"})) {
                cases.add(new Case(
                        "management:" + service,
                        RawHttp.request(call[0], call[1]).body("application/json", "{\"configuredLevel\":\"TRACE\"}")));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The issue-8 salvo: edge-case values on every write endpoint, each 201 or 4xx.

    private static void writeSalvo(List<Case> salvo) throws IOException {
        String c = "command-service";
        List<String> names = List.of(
                "nul\\u0000name",
                "\\ud800",
                "\\udc00lone",
                "back\\\\slash",
                "tab\\tname",
                "  spaced  ",
                "\\u202eevil",
                "\\uD83D\\uDD11 key",
                "x".repeat(100),
                "x".repeat(101),
                "",
                "\\u0085");
        List<String> expiries = List.of(
                "\"+10000-01-01T00:00:00Z\"",
                "\"9999-12-31T23:59:59.999999999Z\"",
                "\"-1000000000-01-01T00:00:00Z\"",
                "\"+1000000000-12-31T23:59:59Z\"",
                "\"2016-12-31T23:59:60Z\"",
                "\"2030-06-30T23:59:60Z\"",
                "\"2030-01-01T00:00:00+14:00\"",
                "\"2030-01-01T00:00:00-12:00\"",
                "\"2030-01-01T00:00:00+00:00\"",
                "\"2036-01-01T00:00:00Z\"",
                "\"2027-01-01T00:00:00Z\"",
                "\"2027-02-29T00:00:00Z\"",
                "\"1970-01-01T00:00:00Z\"",
                "\"2020-01-01T00:00:00Z\"",
                "1e20",
                "-1",
                "\"\\u0000\"",
                "\"2030-01-01T00:00:00.1234567891Z\"",
                "\"2030-01-01\"");
        List<String> numbers = List.of(
                "-1",
                "0",
                "604800",
                "604801",
                "2147483648",
                "9223372036854775807",
                "9223372036854775808",
                "1e400",
                "-1e400",
                "1.5",
                "\"60\"",
                "true",
                "null",
                "99999999999999999999999999");
        List<String> origins = List.of(
                "\"https://*.example.com\"",
                "\"https://*.com\"",
                "\"https://app.example.com:65535\"",
                "\"https://app.example.com:65536\"",
                "\"https://app.example.com:-1\"",
                "\"https://a\\u0000.com\"",
                "\"https://\\ud800.com\"",
                "\"https://app.example.com\\\\\"",
                "\"https://app.example.com\\t\"",
                "\"https://" + "a".repeat(63) + ".example.com\"",
                "\"https://" + "a".repeat(64) + ".example.com\"",
                "\"HTTPS://APP.EXAMPLE.COM\"",
                "\"http://[::1]:8080\"");
        for (String name : names) {
            salvo.add(new Case(
                    c, post("/api/v1/organizations", platformAdmin, "{\"name\":\"" + name + "\",\"plan\":\"free\"}")));
            salvo.add(new Case(c, post(orgPath("/api-keys"), orgAdmin, "{\"name\":\"" + name + "\"}")));
            salvo.add(new Case(
                    c, post(orgPath("/databases/" + db + "/api-keys"), orgAdmin, "{\"name\":\"" + name + "\"}")));
            salvo.add(new Case(
                    c, post(orgPath("/databases"), orgAdmin, "{\"name\":\"" + name + "\",\"allowed_origins\":[]}")));
            salvo.add(new Case(
                    c,
                    bearer(RawHttp.request("PATCH", orgPath("/api-keys/" + secretKeyId)), orgAdmin)
                            .body("application/json", "{\"name\":\"" + name + "\"}")));
        }
        for (String expiry : expiries) {
            salvo.add(new Case(
                    c, post(orgPath("/api-keys"), orgAdmin, "{\"name\":\"exp\",\"expires_at\":" + expiry + "}")));
            salvo.add(new Case(
                    c,
                    post(
                            orgPath("/databases/" + db + "/api-keys"),
                            orgAdmin,
                            "{\"name\":\"exp\",\"expires_at\":" + expiry + "}")));
        }
        for (String number : numbers) {
            salvo.add(new Case(
                    c,
                    post(
                            orgPath("/api-keys/" + rollable() + "/roll"),
                            orgAdmin,
                            "{\"grace_period_seconds\":" + number + "}")));
            salvo.add(new Case(
                    c,
                    bearer(RawHttp.request("PUT", orgPath("/plan")), platformAdmin)
                            .body(
                                    "application/json",
                                    "{\"plan\":\"enterprise\",\"limits\":{\"requests_per_minute\":" + number
                                            + ",\"requests_per_day\":" + number + "}}")));
        }
        for (String origin : origins) {
            salvo.add(new Case(
                    c, post(orgPath("/databases"), orgAdmin, "{\"name\":\"o\",\"allowed_origins\":[" + origin + "]}")));
            salvo.add(new Case(
                    c,
                    bearer(RawHttp.request("PUT", orgPath("/databases/" + db + "/allowed-origins")), orgAdmin)
                            .body(
                                    "application/json",
                                    "{\"allowed_origins\":[\"https://app.example.com\"," + origin + "]}")));
        }
        for (String reason : List.of("\"nul\\u0000\"", "\"\\ud800\"", "\"" + "r".repeat(10_000) + "\"", "5", "null")) {
            salvo.add(new Case(
                    c,
                    post(
                            orgPath("/api-keys/revoke-all"),
                            orgAdmin,
                            "{\"reason\":" + reason + ",\"database_id\":\"" + DB_UNKNOWN + "\"}")));
        }
        salvo.add(new Case(
                c,
                post(
                        orgPath("/api-keys/revoke-all"),
                        orgAdmin,
                        "{\"reason\":\"drill\",\"database_id\":\"db_\\u0000\"}")));
    }

    /** A fresh secret key to roll (a rolled key cannot be rolled again). */
    private static String rollable() {
        try {
            Response created = send("command-service", post(orgPath("/api-keys"), orgAdmin, "{\"name\":\"to roll\"}"));
            return json(created).path("id").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** The case with the open fix it waits for, by what it sends (see the disabled tests). */
    private static Case tagged(Case hostile) {
        Request request = hostile.request();
        String waiting = null;
        switch (hostile.service()) {
            case "command-service" -> {
                if (CONTAINER_REFUSED_TARGET.matcher(request.target()).find()
                        || header(request, "X-Huge") != null
                        || header(request, "X-Nul") != null
                        || "-1".equals(header(request, "Content-Length"))) {
                    waiting = COMMAND_CONTAINER_JSON;
                } else if (header(request, "Idempotency-Key") != null) {
                    waiting = IDEMPOTENCY_KEY_RULE;
                } else if (request.headers().stream()
                                .filter(h -> h[0].equalsIgnoreCase("Authorization"))
                                .count()
                        > 1) {
                    waiting = DUPLICATE_AUTHORIZATION;
                }
            }
            case "auth-edge" -> {
                String key = header(request, "X-API-Key");
                if (header(request, "X-Huge") != null || (key != null && key.indexOf((char) 0) >= 0)) {
                    waiting = EDGE_CODEC_JSON;
                }
            }
            case "management:auth-edge" -> waiting = EDGE_MANAGEMENT_JSON;
            default -> {}
        }
        return new Case(hostile.service(), request, waiting);
    }

    private static String header(Request request, String name) {
        return request.headers().stream()
                .filter(h -> h[0].equalsIgnoreCase(name))
                .map(h -> h[1])
                .findFirst()
                .orElse(null);
    }

    /** What is wrong with an answer to bad input, or {@code null} when it is a proper refusal. */
    private static String problem(Response response, boolean mustBe4xx) {
        if (response.status() < 0) {
            return "no HTTP answer";
        }
        if (response.status() >= 500) {
            return "5xx";
        }
        if (mustBe4xx && (response.status() < 400 || response.status() > 499)) {
            return "not a 4xx";
        }
        if (STACK_TRACE.matcher(response.body()).find()) {
            return "stack trace or exception text";
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            return "not JSON";
        }
        if (body == null || !body.isObject()) {
            return "not a JSON object";
        }
        for (String field : List.of("error", "message", "code")) {
            if (!body.path(field).isTextual() || body.path(field).asText().isBlank()) {
                return "no '" + field + "'";
            }
        }
        return null;
    }

    private static double projectionFailures() throws IOException {
        Response metrics =
                RawHttp.send(MANAGEMENT_PORTS.get("query-service"), RawHttp.request("GET", "/actuator/prometheus"));
        assertThat(metrics.status()).isEqualTo(200);
        double total = 0;
        boolean found = false;
        Matcher series = Pattern.compile(
                        "(?m)^keyledger_projection_(?:failures|parked_events)_total(?:\\{[^}]*})? ([0-9.eE+-]+)$")
                .matcher(metrics.body());
        while (series.find()) {
            found = true;
            total += Double.parseDouble(series.group(1));
        }
        assertThat(found)
                .as("keyledger_projection_failures_total or keyledger_projection_parked_events_total is exported")
                .isTrue();
        return total;
    }

    /** One hostile request; {@code waitingFor} names the fix another area still owes, else {@code null}. */
    private record Case(String service, Request request, String waitingFor) {

        Case(String service, Request request) {
            this(service, request, null);
        }
    }

    private static Response send(String service, Request request) throws IOException {
        int port = service.startsWith("management:")
                ? MANAGEMENT_PORTS.get(service.substring("management:".length()))
                : PORTS.get(service);
        return RawHttp.send(port, request);
    }

    private static Request proxied(String key) {
        return RawHttp.request("POST", "/api/v1/chat/message")
                .header("X-API-Key", key)
                .body("application/json", "{\"message\":\"hi\"}");
    }

    private static Request bearer(Request request, String token) {
        return request.header("Authorization", "Bearer " + token);
    }

    private static Request post(String path, String token, String body) {
        return bearer(RawHttp.request("POST", path), token).body("application/json", body);
    }

    private static Request delete(String path, String token) {
        return bearer(RawHttp.request("DELETE", path), token);
    }

    private static String orgPath(String suffix) {
        return "/api/v1/organizations/" + org + suffix;
    }

    private static String token(String subject, String organization, String role) throws IOException {
        String body = organization == null
                ? "{\"subject\":\"%s\",\"roles\":[\"%s\"]}".formatted(subject, role)
                : "{\"subject\":\"%s\",\"organization_id\":\"%s\",\"roles\":[\"%s\"]}"
                        .formatted(subject, organization, role);
        Response response =
                RawHttp.send(idpPort, RawHttp.request("POST", "/dev/token").body("application/json", body));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return json(response).path("access_token").asText();
    }

    private static JsonNode json(Response response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static String abbreviate(String text) {
        String flat = text.replace('\n', ' ').replace('\r', ' ');
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    private static int freePort() throws IOException {
        return TestPorts.free();
    }
}
