package dev.keyledger.edge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.edge.EdgeIntegrationTestBase;
import dev.keyledger.edge.TestKeys;
import dev.keyledger.edge.TestKeys.TestKey;
import dev.keyledger.edge.TestUpstream;
import dev.keyledger.edge.TestUpstream.Received;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 9's attack and its relatives: a secret key of organization A must never reach a database of
 * organization B, however the path spells it. Each spelling goes over a raw socket (exact bytes) in
 * proxy mode; a refused one must leave the upstream untouched, an accepted one must reach it as
 * exactly the canonical bytes. {A} and {B} stand for A's and B's database ids.
 */
class TenantBoundaryIntegrationTest extends EdgeIntegrationTestBase {

    static final String BAD_REQUEST =
            "{\"error\":\"bad_request\",\"message\":\"Malformed request path\",\"code\":\"BAD_REQUEST\"}";
    static final String FORBIDDEN =
            "{\"error\":\"forbidden\",\"message\":\"API key does not have access to this resource\",\"code\":\"INSUFFICIENT_PERMISSIONS\"}";

    private static String databaseA;
    private static String databaseB;
    private static TestKey secretA;
    private static TestKey publicA;

    @BeforeEach
    void organizations() {
        if (secretA == null) {
            String orgA = newOrganization();
            String orgB = newOrganization();
            databaseA = newDatabase();
            databaseB = newDatabase();
            publishDatabase(databaseA, orgA);
            publishDatabase(databaseB, orgB);
            publicA = activate(TestKeys.publicKey(orgA, databaseA, List.of("https://app.example.com"), 1000, 10_000));
            secretA = activate(TestKeys.secret(orgA, 1000, 10_000));
        }
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // the plain spelling
                "/api/v1/databases/{B}/items | 403",
                // issue 9's four leaks
                "/api/v1/%64atabases/{B}/items | 403",
                "/api/v1/Databases/{B}/items | 403",
                "/api/v1/databases;x/{B}/items | 400",
                "/api/v1/databases/{A}/../{B}/items | 403",
                // letter case and encodings of the segment
                "/api/v1/DATABASES/{B}/items | 403",
                "/api/v1/dAtAbAsEs/{B}/items | 403",
                "/api/v1/%44atabases/{B}/items | 403",
                "/api/v1/%64%61%74%61%62%61%73%65%73/{B}/items | 403",
                "/api/v1/%2564atabases/{B}/items | 400",
                "/api/v1/databa%C5%BFes/{B}/items | 403",
                // the id spelled with escapes of unreserved characters
                "/api/v1/databases/%64%62%5F{B_TAIL}/items | 403",
                // dot segments
                "/api/v1/databases/{A}/%2e%2e/{B}/items | 403",
                "/api/v1/databases/{A}/.%2E/{B}/items | 403",
                "/api/v1/./databases/{B}/items | 403",
                "/api/v1/databases/./{B}/items | 403",
                "/api/v1/x/../databases/{B}/items | 403",
                "/api/../api/v1/databases/{B}/items | 400",
                // trailing dots
                "/api/v1/databases./{B}/items | 403",
                "/api/v1/databases../{B}/items | 403",
                "/api/v1/databases/{B}./items | 403",
                "/api/v1/databases/{B}/. | 403",
                // path parameters, empty segments, separators
                "/api/v1/databases/{B};x/items | 400",
                "/api/v1/;/databases/{B}/items | 400",
                "/api/v1//databases/{B}/items | 400",
                "/api/v1/databases//{B}/items | 400",
                "/api/v1/databases%2F{B}/items | 400",
                "/api/v1/databases%2f{B}/items | 400",
                "/api/v1/databases\\{B}/items | 400",
                "/api/v1/databases%5C{B}/items | 400",
                "/api/v1/databases%5c{B}/items | 400",
                // NUL, malformed escapes, bytes that are not UTF-8
                "/api/v1/databases/{B}%00/items | 400",
                "/api/v1/%zz/databases/{B}/items | 400",
                "/api/v1/databases/{B}/%4 | 400",
                "/api/v1/databases/{B}/% | 400",
                "/api/v1/databases/{B}/%C3%28 | 400",
                // two databases in the path
                "/api/v1/databases/{A}/databases/{B}/items | 403",
                "/api/v1/databases/{B}/databases/{A}/items | 403",
                "/api/v1/databases/{A}/Databases/{B} | 403"
            })
    void secretKeyOfAnotherOrganizationNeverReachesTheDatabase(String spelling, int status) {
        String marker = UUID.randomUUID().toString();

        RawHttp.Answer answer = proxy(ids(spelling), marker);

        assertThat(answer.status()).as(spelling).isEqualTo(status);
        assertThat(answer.body()).isEqualTo(status == 400 ? BAD_REQUEST : FORBIDDEN);
        assertThat(TestUpstream.received(marker))
                .as("the upstream saw " + spelling)
                .isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/api/v1/databases/{A}/items | /api/v1/databases/{A}/items",
                "/api/v1/Databases/{A}/items | /api/v1/Databases/{A}/items",
                "/api/v1/%64atabases/{A}/items | /api/v1/databases/{A}/items",
                "/api/v1/databases/{B}/../{A}/items | /api/v1/databases/{A}/items",
                "/api/v1/./databases/{A}/./items/ | /api/v1/databases/{A}/items/",
                "/api/v1/databases/{A}/items/.. | /api/v1/databases/{A}/",
                "/api/v1/databases/{A}/caf%c3%a9?q=%7e&r=a;b | /api/v1/databases/{A}/caf%C3%A9?q=%7e&r=a;b",
                "/api/v1/databases/{A}/a%3Bb%3Fc | /api/v1/databases/{A}/a%3Bb%3Fc",
                "/api/v1/databases/{A}/databases/{A} | /api/v1/databases/{A}/databases/{A}",
                "/api/v1/items | /api/v1/items"
            })
    void acceptedSpellingsReachTheUpstreamAsTheCanonicalBytes(String spelling, String canonical) {
        String marker = UUID.randomUUID().toString();

        RawHttp.Answer answer = proxy(ids(spelling), marker);

        assertThat(answer.status()).as(spelling).isEqualTo(200);
        assertThat(TestUpstream.received(marker)).extracting(Received::uri).containsExactly(ids(canonical));
        assertThat(answer.body()).contains("uri=" + ids(canonical) + "\n");
    }

    @Test
    void headerNamingItsOwnDatabaseWithAPathNamingAnotherIsForbidden() {
        String marker = UUID.randomUUID().toString();

        RawHttp.Answer answer = proxy(ids("/api/v1/databases/{B}/items"), marker, "X-Database-Id: " + databaseA);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).isEqualTo(FORBIDDEN);
        assertThat(TestUpstream.received(marker)).isEmpty();
    }

    @Test
    void headerNamingAnotherDatabaseWithAPathNamingItsOwnIsForbidden() {
        String marker = UUID.randomUUID().toString();

        RawHttp.Answer answer = proxy(ids("/api/v1/databases/{A}/items"), marker, "X-Database-Id: " + databaseB);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(TestUpstream.received(marker)).isEmpty();
    }

    @Test
    void headerAndPathNamingTheSameDatabaseAreAccepted() {
        String marker = UUID.randomUUID().toString();

        RawHttp.Answer answer = proxy(ids("/api/v1/Databases/{A}/items"), marker, "X-Database-Id: " + databaseA);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(TestUpstream.received(marker).getFirst().header("X-Keyledger-Database-Id"))
                .isEqualTo(databaseA);
    }

    @Test
    void publicKeyNamingItsDatabaseInAnotherCaseOfTheSegmentIsAcceptedAndAnotherOneForbidden() {
        String own = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();

        RawHttp.Answer accepted = RawHttp.send(
                port,
                "GET",
                ids("/api/v1/DataBases/{A}/items"),
                List.of("X-API-Key: " + publicA.plaintext(), "Origin: https://app.example.com", marker(own)));
        RawHttp.Answer refused = RawHttp.send(
                port,
                "GET",
                ids("/api/v1/%44atabases/{B}/items"),
                List.of("X-API-Key: " + publicA.plaintext(), "Origin: https://app.example.com", marker(other)));

        assertThat(accepted.status()).isEqualTo(200);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(TestUpstream.received(other)).isEmpty();
    }

    @Test
    void malformedPathIsRefusedBeforeAnyKeyLookup() {
        String marker = UUID.randomUUID().toString();

        RawHttp.Answer noKey = RawHttp.send(port, "GET", "/api/v1/a%2Fb", List.of(marker(marker)));
        RawHttp.Answer forgedKey =
                RawHttp.send(port, "GET", "/api/v1/%zz", List.of("X-API-Key: sk_" + "A".repeat(64), marker(marker)));

        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.body()).isEqualTo(BAD_REQUEST);
        assertThat(noKey.header("Content-Type")).isEqualTo("application/json");
        assertThat(forgedKey.status()).isEqualTo(400);
        assertThat(forgedKey.body()).isEqualTo(BAD_REQUEST);
        assertThat(noKey.header("X-RateLimit-Limit")).isNull();
        assertThat(TestUpstream.received(marker)).isEmpty();
    }

    @Test
    void unparseableTargetsGetTheContractBodyNotAnEmptyAnswer() {
        for (String target : List.of(
                "/api/v1/a\\b",
                "/api/v1/a|b",
                "/api/v1/%",
                "/api/v1/x?q=%zz",
                "/api/v1/a#b",
                "/api/v1/caf\u00e9",
                "/api/v1/a{b}",
                "/api/v1/a\"b")) {
            RawHttp.Answer answer = RawHttp.send(port, "GET", target, List.of("X-API-Key: " + secretA.plaintext()));

            assertThat(answer.status()).as(target).isEqualTo(400);
            assertThat(answer.body()).as(target).isEqualTo(BAD_REQUEST);
        }
    }

    @ParameterizedTest(name = "[{index}] X-Forwarded-Uri {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/api/v1/databases/{A}/items | 200",
                "/api/v1/databases/{A}/items?x=%zz;y | 200",
                "/api/v1/databases/{B}/items | 403",
                "/api/v1/Databases/{B}/items | 403",
                "/api/v1/%64atabases/{A}/items | 400",
                "/api/v1/databases/{A}/../{B}/items | 400",
                "/api/v1/./databases/{A} | 400",
                "/api/v1/databases;x/{B}/items | 400",
                "/api/v1//databases/{B} | 400",
                "/api/v1/databases%2F{B} | 400",
                "/api/v1/databases/{A}/caf%c3%a9 | 400",
                "/api/v1/%zz | 400",
                "/api/v1/a\\b | 400",
                "/api/v1/%00 | 400",
                "api/v1/items | 400"
            })
    void forwardAuthRefusesAForwardedUriThatIsNotCanonical(String forwardedUri, int status) {
        RawHttp.Answer answer = RawHttp.send(
                port,
                "GET",
                "/_keyledger/auth",
                List.of("X-API-Key: " + secretA.plaintext(), "X-Forwarded-Uri: " + ids(forwardedUri)));

        assertThat(answer.status()).as(forwardedUri).isEqualTo(status);
        if (status == 400) {
            assertThat(answer.body()).isEqualTo(BAD_REQUEST);
        }
    }

    @Test
    void badRequestsConsumeNoRateLimitAndCarryNoRateLimitHeaders() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 5, 1000));
        awaitFreshMinute();

        for (String uri : List.of("/api/v1/%64atabases/x", "/api/v1//x", "/api/v1/a;b")) {
            RawHttp.Answer refused = RawHttp.send(
                    port,
                    "GET",
                    "/_keyledger/auth",
                    List.of("X-API-Key: " + key.plaintext(), "X-Forwarded-Uri: " + uri));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.header("X-RateLimit-Remaining")).isNull();
        }
        RawHttp.Answer accepted = RawHttp.send(
                port,
                "GET",
                "/_keyledger/auth",
                List.of("X-API-Key: " + key.plaintext(), "X-Forwarded-Uri: /api/v1/x"));

        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.header("X-RateLimit-Remaining")).isEqualTo("4");
    }

    @Test
    void forwardAuthWithTheOriginalPathAppendedMustBeCanonicalToo() {
        RawHttp.Answer canonical = RawHttp.send(
                port,
                "GET",
                ids("/_keyledger/auth/api/v1/databases/{A}"),
                List.of("X-API-Key: " + secretA.plaintext()));
        RawHttp.Answer dotted = RawHttp.send(
                port,
                "GET",
                ids("/_keyledger/auth/api/v1/databases/{A}/../{B}"),
                List.of("X-API-Key: " + secretA.plaintext()));

        assertThat(canonical.status()).isEqualTo(200);
        assertThat(dotted.status()).isEqualTo(400);
    }

    private RawHttp.Answer proxy(String target, String marker, String... extraHeaders) {
        List<String> headers = new ArrayList<>(List.of("X-API-Key: " + secretA.plaintext(), marker(marker)));
        headers.addAll(List.of(extraHeaders));
        return RawHttp.send(port, "GET", target, headers);
    }

    private static String marker(String marker) {
        return TestUpstream.MARKER + ": " + marker;
    }

    private static String ids(String spelling) {
        return spelling.replace("{A}", databaseA)
                .replace("{B_TAIL}", databaseB.substring(3))
                .replace("{B}", databaseB);
    }
}
