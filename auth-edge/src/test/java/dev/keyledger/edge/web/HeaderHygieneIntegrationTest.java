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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proxy mode's header hygiene (CONTRACT.md "Request hygiene"), one header at a time, as the upstream
 * received it. The peer (127.0.0.1) is not a trusted proxy here: the default is none.
 */
class HeaderHygieneIntegrationTest extends EdgeIntegrationTestBase {

    static final String ORIGIN = "https://app.example.com";

    private static TestKey secret;
    private static TestKey publicKey;
    private static String organization;

    @BeforeEach
    void keys() {
        if (secret == null) {
            organization = newOrganization();
            secret = activate(TestKeys.secret(organization, 1000, 10_000));
            publicKey = activate(TestKeys.publicKey(organization, newDatabase(), List.of(ORIGIN), 1000, 10_000));
        }
    }

    @Test
    void clientKeyledgerHeadersInAnyCaseNeverReachTheUpstream() {
        Received received = forward(
                "X-Keyledger-Key-Id: key_forged",
                "x-keyledger-organization-id: org_forged",
                "X-KEYLEDGER-DATABASE-ID: db_forged",
                "X-Keyledger-Key-Type: public",
                "X-Keyledger-Admin: true");

        assertThat(received.header("X-Keyledger-Key-Id"))
                .isEqualTo(secret.entry().keyId());
        assertThat(received.header("X-Keyledger-Organization-Id")).isEqualTo(organization);
        assertThat(received.header("X-Keyledger-Key-Type")).isEqualTo("secret");
        assertThat(received.header("X-Keyledger-Database-Id")).isNull();
        assertThat(received.header("X-Keyledger-Admin")).isNull();
    }

    @Test
    void theApiKeyNeverReachesTheUpstream() {
        Received received = forward();

        assertThat(received.header("X-API-Key")).isNull();
    }

    @Test
    void forwardedForGetsTheClientAddressAppended() {
        Received received = forward("X-Forwarded-For: 203.0.113.7");

        assertThat(received.header("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
    }

    @Test
    void forwardedForIsTheClientAddressWhenTheClientSentNone() {
        Received received = forward();

        assertThat(received.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
    }

    @Test
    void repeatedForwardedForHeadersAreJoinedBeforeTheClientAddress() {
        Received received = forward("X-Forwarded-For: 203.0.113.7", "X-Forwarded-For: 198.51.100.2");

        assertThat(received.header("X-Forwarded-For")).isEqualTo("203.0.113.7, 198.51.100.2, 127.0.0.1");
    }

    @Test
    void forwardedFromAnUntrustedPeerIsDropped() {
        Received received = forward("Forwarded: for=203.0.113.7;host=evil.example;proto=https");

        assertThat(received.header("Forwarded")).isNull();
    }

    @Test
    void forwardedHostFromAnUntrustedPeerIsReplacedByTheRequestHost() {
        Received received = forward("X-Forwarded-Host: evil.example");

        assertThat(received.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + port);
    }

    @Test
    void forwardedProtoFromAnUntrustedPeerIsReplacedByTheEdgesScheme() {
        Received received = forward("X-Forwarded-Proto: https");

        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("http");
    }

    @Test
    void otherForwardedHeadersAndRealIpFromAnUntrustedPeerAreDropped() {
        Received received = forward(
                "X-Forwarded-Port: 443",
                "X-Forwarded-Prefix: /admin",
                "X-Forwarded-Server: evil",
                "X-Forwarded-Uri: /api/v1/databases/db_other",
                "X-Real-IP: 203.0.113.7");

        assertThat(received.headers())
                .doesNotContainKeys(
                        "x-forwarded-port", "x-forwarded-prefix", "x-forwarded-server", "x-forwarded-uri", "x-real-ip");
    }

    @Test
    void pathOverrideHeadersNeverReachTheUpstream() {
        Received received = forward("X-Original-URL: /admin", "X-Rewrite-URL: /admin");

        assertThat(received.headers()).doesNotContainKeys("x-original-url", "x-rewrite-url");
        assertThat(received.uri()).isEqualTo("/api/echo");
    }

    @Test
    void headersNamedInConnectionAreDropped() {
        Received received = forward(
                "Connection: close, X-Hop-Secret, x-other-hop",
                "X-Hop-Secret: one",
                "X-Other-Hop: two",
                "X-Kept: three");

        assertThat(received.headers()).doesNotContainKeys("x-hop-secret", "x-other-hop");
        assertThat(received.header("X-Kept")).isEqualTo("three");
    }

    @Test
    void forwardedForNamedInConnectionStillCarriesTheClientAddress() {
        Received received = forward("Connection: close, X-Forwarded-For", "X-Forwarded-For: 203.0.113.7");

        assertThat(received.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
    }

    @Test
    void hopByHopHeadersAreDropped() {
        Received received = forward(
                "Keep-Alive: timeout=5",
                "Proxy-Connection: keep-alive",
                "Proxy-Authorization: Basic c2VjcmV0",
                "TE: trailers",
                "Trailer: X-Checksum");

        assertThat(received.headers())
                .doesNotContainKeys("keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer");
    }

    @Test
    void ordinaryHeadersPassUnchanged() {
        Received received = forward("Accept: application/json", "X-Request-Id: abc-123", "Authorization: Bearer t");

        assertThat(received.header("Accept")).isEqualTo("application/json");
        assertThat(received.header("X-Request-Id")).isEqualTo("abc-123");
        assertThat(received.header("Authorization")).isEqualTo("Bearer t");
    }

    @Test
    void upstreamCorsHeadersAreNotPassedToASecretKeyClient() {
        RawHttp.Answer answer = RawHttp.send(port, "GET", "/api/cors", List.of("X-API-Key: " + secret.plaintext()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Upstream")).isEqualTo("yes");
        assertThat(answer.headerNames())
                .doesNotContain(
                        "access-control-allow-origin",
                        "access-control-allow-credentials",
                        "access-control-expose-headers");
    }

    @Test
    void upstreamCorsHeadersAreReplacedByTheEdgesOwnForAPublicKey() {
        RawHttp.Answer answer = RawHttp.send(
                port, "GET", "/api/cors", List.of("X-API-Key: " + publicKey.plaintext(), "Origin: " + ORIGIN));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(answer.header("Access-Control-Expose-Headers")).doesNotContain("X-Upstream-Private");
        assertThat(answer.headerNames()).doesNotContain("access-control-allow-credentials");
    }

    @Test
    void headersTheUpstreamNamesInConnectionAreNotPassedBack() {
        RawHttp.Answer answer = RawHttp.send(port, "GET", "/api/cors", List.of("X-API-Key: " + secret.plaintext()));

        assertThat(answer.headerNames()).doesNotContain("x-upstream-private");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DELETE", "GET", "POST"})
    void aChunkedBodyReachesTheUpstreamFramedAsOneRequest(String method) {
        String marker = UUID.randomUUID().toString();
        // A body that is itself a request: sent unframed, the upstream would read it as a second one.
        String inner =
                "GET /api/echo/smuggled HTTP/1.1\r\nHost: x\r\n" + TestUpstream.MARKER + ": " + marker + "\r\n\r\n";
        String chunked = Integer.toHexString(inner.length()) + "\r\n" + inner + "\r\n0\r\n\r\n";

        RawHttp.Answer answer = RawHttp.send(
                port,
                method,
                "/api/echo/outer",
                List.of(
                        "X-API-Key: " + secret.plaintext(),
                        TestUpstream.MARKER + ": " + marker,
                        "Transfer-Encoding: chunked"),
                chunked);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("method=" + method, "body=" + inner);
        assertThat(TestUpstream.received(marker)).extracting(Received::uri).containsExactly("/api/echo/outer");
    }

    private Received forward(String... extraHeaders) {
        String marker = UUID.randomUUID().toString();
        List<String> headers =
                new ArrayList<>(List.of("X-API-Key: " + secret.plaintext(), TestUpstream.MARKER + ": " + marker));
        headers.addAll(List.of(extraHeaders));

        RawHttp.Answer answer = RawHttp.send(port, "GET", "/api/echo", headers);

        assertThat(answer.status()).isEqualTo(200);
        List<Received> received = TestUpstream.received(marker);
        assertThat(received).hasSize(1);
        return received.getFirst();
    }
}
