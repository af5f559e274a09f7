package dev.keyledger.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.cli.KeyledgerCli;
import dev.keyledger.cli.http.FakeService.Reply;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The subcommands that call a service, against a JDK HTTP server with the contract's answers and
 * errors: the bearer token is sent, tables and files come out, every HTTP error prints the error
 * JSON's message with exit 3 (or 4 for 401/403), a network failure exits 3, never a stack trace.
 */
class ServiceCommandsTest {

    private static final String ORG = "org_01JH0000000000000000000000";
    private static final String KEY = "key_01JH0000000000000000000001";
    private static final String TOKEN = "eyJ.test.token";

    @TempDir
    Path dir;

    private FakeService service;

    @BeforeEach
    void start() throws Exception {
        service = new FakeService();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    record Run(int exit, String out, String err) {}

    private Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--query-url", service.url(), "--token", TOKEN));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = KeyledgerCli.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private static void assertNoStackTrace(Run run) {
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void validAtPrintsTheKeysAsTheyWereWithTheToken() {
        service.on("GET", "/api/v1/organizations/" + ORG + "/api-keys", Reply.json(200, """
                        {"data":[{"id":"%s","type":"public","name":"Web","database_id":"db_01","status":"active",
                        "expires_at":null,"limits":{"requests_per_minute":60,"requests_per_day":10000},
                        "allowed_origins":["https://app.example.com"]}]}""".formatted(KEY)));

        Run run = cli("keys", "valid-at", "--org", ORG, "2026-03-01T14:03:00+01:00");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().lines().toList())
                .first()
                .asString()
                .startsWith("ID")
                .contains("ORIGINS");
        assertThat(run.out()).contains(KEY).contains("Web").contains("60,10000").contains("https://app.example.com");
        FakeService.Request request = service.requests().get(0);
        assertThat(request.pathAndQuery()).endsWith("?valid_at=2026-03-01T13%3A03%3A00Z");
        assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void validAtFollowsNextCursorToTheLastPageInTheTableAndInJson() {
        String key2 = "key_01JH0000000000000000000002";
        Reply first = Reply.json(200, """
                {"data":[{"id":"%s","type":"public","name":"Web","status":"active"}],
                "next_cursor":"c2+/=","prev_cursor":null}""".formatted(KEY));
        Reply last = Reply.json(200, """
                {"data":[{"id":"%s","type":"secret","name":"Backend","status":"active"}],
                "next_cursor":null,"prev_cursor":"c1"}""".formatted(key2));
        String path = "/api/v1/organizations/" + ORG + "/api-keys";

        service.on("GET", path, first, last);
        Run table = cli("keys", "valid-at", "--org", ORG, "2026-03-01T00:00:00Z");
        service.on("GET", path, first, last);
        Run json = cli("keys", "valid-at", "--org", ORG, "2026-03-01T00:00:00Z", "--json");

        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).contains(KEY).contains("Web").contains(key2).contains("Backend");
        assertThat(table.err()).contains("2 keys valid at 2026-03-01T00:00:00Z");
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(json.out().strip())
                .startsWith("{\"data\":[")
                .contains("\"id\":\"" + KEY + "\"")
                .contains("\"id\":\"" + key2 + "\"")
                .doesNotContain("next_cursor");
        assertThat(service.requests())
                .extracting(FakeService.Request::pathAndQuery)
                .containsExactly(
                        path + "?valid_at=2026-03-01T00%3A00%3A00Z",
                        path + "?valid_at=2026-03-01T00%3A00%3A00Z&cursor=c2%2B%2F%3D",
                        path + "?valid_at=2026-03-01T00%3A00%3A00Z",
                        path + "?valid_at=2026-03-01T00%3A00%3A00Z&cursor=c2%2B%2F%3D");
    }

    @Test
    void validAtStopsWhenTheServiceRepeatsACursor() {
        service.on("GET", "/api/v1/organizations/" + ORG + "/api-keys", Reply.json(200, """
                        {"data":[],"next_cursor":"same"}"""));

        Run run = cli("keys", "valid-at", "--org", ORG, "2026-03-01T00:00:00Z");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("the same next_cursor twice");
        assertThat(service.requests()).hasSize(2);
        assertNoStackTrace(run);
    }

    @Test
    void historyPrintsEveryEventWithActorSourceAndStateAfter() {
        service.on("GET", "/api/v1/organizations/" + ORG + "/api-keys/" + KEY + "/history", Reply.json(200, """
                        {"data":[
                         {"event_id":"e1","sequence":0,"type":"api_key.issued","occurred_at":"2026-01-01T00:00:00Z",
                          "actor":{"subject":"alice","ip":"203.0.113.7","user_agent":"curl"},"details":{},
                          "state":{"status":"active","name":"Web","expires_at":null}},
                         {"event_id":"e2","sequence":1,"type":"api_key.rolled","occurred_at":"2026-02-01T00:00:00Z",
                          "actor":{"subject":"bob","ip":"198.51.100.2","user_agent":null},"details":{},
                          "state":{"status":"active","name":"Web","expires_at":"2026-02-02T00:00:00Z",
                                   "replaced_by":"key_02"}}]}"""));

        Run run = cli("keys", "history", "--org", ORG, KEY);

        assertThat(run.exit()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("EVENT").contains("SOURCE ADDRESS").contains("SUCCESSOR");
        assertThat(lines.get(1)).contains("api_key.issued").contains("alice").contains("203.0.113.7");
        assertThat(lines.get(2)).contains("api_key.rolled").contains("bob").contains("key_02");
    }

    @Test
    void historyWithoutStatePrintsTheFourColumns() {
        service.on("GET", "/api/v1/organizations/" + ORG + "/api-keys/" + KEY + "/history", Reply.json(200, """
                        {"data":[{"type":"api_key.issued","occurred_at":"2026-01-01T00:00:00Z",
                          "actor":{"subject":"alice\\u001b[31m","ip":"203.0.113.7"}}]}"""));

        Run run = cli("keys", "history", "--org", ORG, KEY);

        assertThat(run.exit()).isZero();
        assertThat(run.out().lines().findFirst().orElseThrow().split(" {2,}"))
                .containsExactly("EVENT", "TIME", "ACTOR", "SOURCE ADDRESS");
        assertThat(run.out()).doesNotContain("\u001b");
    }

    @Test
    void anUnknownKeyPrintsTheServiceMessageAndExitsThree() {
        Run run = cli("keys", "history", "--org", ORG, KEY);

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("HTTP 404 NOT_FOUND: No such route");
        assertNoStackTrace(run);
    }

    @Test
    void aMissingOrBadTokenIsExitFourWithTheMessageAndAHint() {
        service.on(
                "GET",
                "/api/v1/organizations/" + ORG + "/api-keys",
                Reply.json(
                        401,
                        "{\"error\":\"unauthorized\",\"message\":\"Bearer token is invalid\",\"code\":\"INVALID_TOKEN\"}"));

        Run run = cli("keys", "valid-at", "--org", ORG, "2026-03-01T00:00:00Z");

        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.err())
                .contains("HTTP 401 INVALID_TOKEN: Bearer token is invalid")
                .contains("--token");
        assertNoStackTrace(run);
    }

    @Test
    void aForbiddenCallIsExitFour() {
        service.on(
                "POST",
                "/api/v1/admin/rebuild",
                Reply.json(
                        403,
                        "{\"error\":\"forbidden\",\"message\":\"Only platform admins may rebuild the projections\","
                                + "\"code\":\"INSUFFICIENT_PERMISSIONS\"}"));

        Run run = cli("rebuild");

        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.err()).contains("Only platform admins may rebuild the projections");
    }

    @Test
    void anErrorThatIsNotTheContractsJsonShowsItsFirstLine() {
        service.on(
                "GET",
                "/api/v1/organizations/" + ORG + "/api-keys",
                Reply.text(502, "text/html", "<html>Bad Gateway</html>\n<body>...</body>"));

        Run run = cli("keys", "valid-at", "--org", ORG, "2026-03-01T00:00:00Z");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("HTTP 502: <html>Bad Gateway</html>");
    }

    @Test
    void anUnreachableServiceIsExitThree() {
        StringWriter err = new StringWriter();
        int exit = KeyledgerCli.run(
                new PrintWriter(new StringWriter()),
                new PrintWriter(err, true),
                "keys",
                "history",
                "--org",
                ORG,
                KEY,
                "--query-url",
                "http://127.0.0.1:1");

        assertThat(exit).isEqualTo(3);
        assertThat(err.toString())
                .contains("cannot reach query-service at http://127.0.0.1:1")
                .doesNotContain("Exception");
    }

    @Test
    void rebuildFollowsTheStateUntilIdle() {
        service.on(
                "POST",
                "/api/v1/admin/rebuild",
                Reply.json(
                        202,
                        "{\"state\":\"running\",\"percent\":0,\"events_per_second\":0,\"started_at\":\"2026-12-02T03:00:00Z\"}"));
        service.on(
                "GET",
                "/api/v1/admin/rebuild",
                Reply.json(
                        200,
                        "{\"state\":\"running\",\"percent\":40.5,\"events_per_second\":1500.2,\"started_at\":\"2026-12-02T03:00:00Z\"}"),
                Reply.json(
                        200,
                        "{\"state\":\"idle\",\"percent\":100,\"events_per_second\":2500.0,\"started_at\":\"2026-12-02T03:00:00Z\"}"));

        Run run = cli("rebuild", "--interval", "100", "--progress");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("rebuild idle: 100.0%, 2,500 events/s (started 2026-12-02T03:00:00Z)");
        assertThat(run.err()).contains("\r[").contains("events/s");
        assertThat(service.requests()).extracting(FakeService.Request::method).containsExactly("POST", "GET", "GET");
    }

    @Test
    void aFailedRebuildExitsOneWithItsReason() {
        service.on(
                "POST",
                "/api/v1/admin/rebuild",
                Reply.json(202, "{\"state\":\"running\",\"percent\":0,\"events_per_second\":0}"));
        service.on(
                "GET",
                "/api/v1/admin/rebuild",
                Reply.json(
                        200,
                        "{\"state\":\"failed\",\"percent\":12,\"events_per_second\":10,\"reason\":\"topic gone\"}"));

        Run run = cli("rebuild", "--interval", "100");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("the rebuild failed: topic gone");
        assertThat(run.err())
                .as("no progress bar when stderr is not a terminal")
                .doesNotContain("\r");
    }

    @Test
    void aRunningRebuildIsExitThreeUnlessAttached() {
        service.on(
                "POST",
                "/api/v1/admin/rebuild",
                Reply.json(
                        409,
                        "{\"error\":\"conflict\",\"message\":\"A rebuild is already running\",\"code\":\"CONFLICT\"}"));
        service.on(
                "GET",
                "/api/v1/admin/rebuild",
                Reply.json(200, "{\"state\":\"idle\",\"percent\":100,\"events_per_second\":900}"));

        Run refused = cli("rebuild");
        Run attached = cli("rebuild", "--attach", "--interval", "100");

        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.err()).contains("HTTP 409 CONFLICT: A rebuild is already running");
        assertThat(attached.exit()).as(attached.err()).isZero();
        assertThat(attached.out()).startsWith("rebuild idle");
    }

    @Test
    void exportStreamsToTheFileOnceItsCheckpointArrived() throws Exception {
        String body = "{\"seq\":1,\"hash\":\"a\"}\n{\"seq\":2,\"hash\":\"b\"}\n"
                + "{\"type\":\"checkpoint\",\"count\":2,\"head\":\"b\"}\n";
        service.on(
                "GET",
                "/api/v1/organizations/" + ORG + "/audit-log/export",
                Reply.text(200, "application/x-ndjson", body));
        Path file = dir.resolve("export.ndjson");

        Run run = cli(
                "audit",
                "export",
                "--org",
                ORG,
                "--from",
                "2026-01-01T00:00:00Z",
                "--to",
                "2026-02-01T00:00:00Z",
                "-o",
                file.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(Files.readString(file)).isEqualTo(body);
        assertThat(run.out()).startsWith("exported 2 entries");
        FakeService.Request request = service.requests().get(0);
        assertThat(request.pathAndQuery())
                .endsWith("/audit-log/export?from=2026-01-01T00%3A00%3A00Z&to=2026-02-01T00%3A00%3A00Z");
        assertThat(request.accept()).isEqualTo("application/x-ndjson");
        assertThat(dir.resolve("export.ndjson.part")).doesNotExist();
    }

    @Test
    void anExportCutBeforeItsCheckpointLeavesNoFile() {
        service.on(
                "GET",
                "/api/v1/organizations/" + ORG + "/audit-log/export",
                Reply.text(200, "application/x-ndjson", "{\"seq\":1,\"hash\":\"a\"}\n{\"seq\":2,\"ha"));
        Path file = dir.resolve("cut.ndjson");

        Run run = cli("audit", "export", "--org", ORG, "-o", file.toString());

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("ended without its checkpoint").contains("not written");
        assertThat(file).doesNotExist();
        assertThat(dir.resolve("cut.ndjson.part")).doesNotExist();
    }

    @Test
    void anExportRefusedForAnOrgMemberIsExitFour() {
        service.on(
                "GET",
                "/api/v1/organizations/" + ORG + "/audit-log/export",
                Reply.json(
                        403,
                        "{\"error\":\"forbidden\",\"message\":\"Needs org_admin\",\"code\":\"INSUFFICIENT_PERMISSIONS\"}"));
        Path file = dir.resolve("refused.ndjson");

        Run run = cli("audit", "export", "--org", ORG, "-o", file.toString());

        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.err()).contains("Needs org_admin");
        assertThat(file).doesNotExist();
    }

    @Test
    void verifyFetchesTheSigningKeysWithoutAToken() throws Exception {
        service.on("GET", "/api/v1/audit/signing-keys", Reply.json(200, "{\"keys\":[]}"));
        Path file = dir.resolve("empty.ndjson");
        Files.writeString(file, "");

        StringWriter err = new StringWriter();
        int exit = KeyledgerCli.run(
                new PrintWriter(new StringWriter()),
                new PrintWriter(err, true),
                "audit",
                "verify",
                file.toString(),
                "--query-url",
                service.url());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("line 1: truncated");
        assertThat(service.requests()).singleElement().satisfies(request -> {
            assertThat(request.pathAndQuery()).isEqualTo("/api/v1/audit/signing-keys");
            assertThat(request.authorization()).isNull();
        });
    }

    @Test
    void aClientCredentialsTokenIsFetchedWhenNoTokenIsGiven() {
        service.on(
                "GET",
                "/.well-known/openid-configuration",
                Reply.json(
                        200,
                        "{\"issuer\":\"" + service.url() + "\",\"token_endpoint\":\"" + service.url()
                                + "/oauth2/token\"}"));
        service.on(
                "POST",
                "/oauth2/token",
                Reply.json(
                        200, "{\"access_token\":\"fetched.jwt.value\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
        service.on(
                "GET",
                "/api/v1/organizations/" + ORG + "/api-keys/" + KEY + "/history",
                Reply.json(200, "{\"data\":[]}"));

        StringWriter err = new StringWriter();
        int exit = KeyledgerCli.run(
                new PrintWriter(new StringWriter()),
                new PrintWriter(err, true),
                "keys",
                "history",
                "--org",
                ORG,
                KEY,
                "--query-url",
                service.url(),
                "--issuer",
                service.url(),
                "--client-id",
                "keyledger-cli",
                "--client-secret",
                "s3cret-s3cret-s3cret");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(service.requests())
                .extracting(FakeService.Request::authorization)
                .last()
                .isEqualTo("Bearer fetched.jwt.value");
        assertThat(service.requests().get(1).authorization()).startsWith("Basic ");
    }
}
