package dev.keyledger.standalone.idp;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DevIdentityProviderTest {

    private static final String ORGANIZATION = "org_01JH0000000000000000000000";

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private DevIdentityProvider idp;

    @BeforeEach
    void start() {
        idp = startProvider();
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    @Test
    void signsTokensThatVerifyAgainstItsJwks() throws Exception {
        HttpResponse<String> response = post("{\"subject\":\"alice\",\"organization_id\":\"" + ORGANIZATION
                + "\",\"roles\":[\"org_admin\",\"org_member\"]}");

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = JSONObjectUtils.parse(response.body());
        assertThat(body).containsEntry("token_type", "Bearer").containsEntry("expires_in", 3600L);
        SignedJWT jwt = SignedJWT.parse((String) body.get("access_token"));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.verify(new RSASSAVerifier(publishedKey(jwt.getHeader().getKeyID()))))
                .isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(idp.issuer()).startsWith("http://localhost:");
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getAudience()).containsExactly("keyledger");
        assertThat(claims.getStringClaim("organization_id")).isEqualTo(ORGANIZATION);
        assertThat(claims.getStringListClaim("roles")).containsExactly("org_admin", "org_member");
        assertThat(Duration.between(
                        claims.getIssueTime().toInstant(),
                        claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void leavesOutTheOrganizationWhenNoneIsAsked() throws Exception {
        HttpResponse<String> response = post("{\"subject\":\"root\",\"roles\":[\"platform_admin\"]}");

        JWTClaimsSet claims = SignedJWT.parse(
                        (String) JSONObjectUtils.parse(response.body()).get("access_token"))
                .getJWTClaimsSet();
        assertThat(claims.getClaims()).doesNotContainKey("organization_id");
        assertThat(claims.getStringListClaim("roles")).containsExactly("platform_admin");
    }

    @Test
    void keepsItsSigningKeyAcrossRestarts() throws Exception {
        SignedJWT before = SignedJWT.parse((String)
                JSONObjectUtils.parse(post("{\"subject\":\"alice\"}").body()).get("access_token"));
        idp.close();

        idp = startProvider();

        assertThat(before.verify(
                        new RSASSAVerifier(publishedKey(before.getHeader().getKeyID()))))
                .isTrue();
    }

    @Test
    void publishesItsIssuerAndJwksInTheDiscoveryDocument() throws Exception {
        HttpResponse<String> response = get("/.well-known/openid-configuration");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSONObjectUtils.parse(response.body()))
                .containsEntry("issuer", idp.issuer())
                .containsEntry("jwks_uri", idp.issuer() + "/.well-known/jwks.json");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{bad json",
                "[]",
                "{}",
                "{\"subject\":\"\"}",
                "{\"subject\":42}",
                "{\"subject\":\"alice\",\"roles\":[\"root\"]}",
                "{\"subject\":\"alice\",\"roles\":\"org_admin\"}",
                "{\"subject\":\"alice\",\"organization_id\":\"acme\"}",
                "{\"subject\":\"alice\",\"admin\":true}",
                "{\"subject\":\"al\\u0000ice\"}"
            })
    void refusesInvalidTokenRequests(String body) throws Exception {
        HttpResponse<String> response = post(body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSONObjectUtils.parse(response.body()))
                .containsEntry("code", "VALIDATION_FAILED")
                .containsKeys("error", "message", "details");
    }

    @Test
    void refusesBodiesOverSixtyFourKibibytes() throws Exception {
        HttpResponse<String> response = post("{\"subject\":\"" + "a".repeat(70_000) + "\"}");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSONObjectUtils.parse(response.body())).containsKeys("error", "message", "code");
    }

    @Test
    void answersUnknownPathsWithNotFound() throws Exception {
        HttpResponse<String> response = get("/dev/tokens");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSONObjectUtils.parse(response.body())).containsEntry("code", "NOT_FOUND");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:8090", "127.0.0.1:8090", "LOCALHOST:8090", "[::1]:8090", "[::1]"})
    void answersLoopbackHostNames(String host) throws Exception {
        assertThat(rawRequest("GET", "/.well-known/jwks.json", List.of(host))).startsWith("HTTP/1.1 200");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "attacker.example",
                "attacker.example:8090",
                "localhost.attacker.example",
                "127.0.0.1.nip.io:8090",
                "localhost.",
                "localhost:80:80",
                "localhost:http",
                "[::1]x:8090",
                "",
                "0.0.0.0:8090"
            })
    void refusesEveryOtherHostBeforeSigningAnything(String host) throws Exception {
        String token = rawRequest("POST", "/dev/token", List.of(host));
        String jwks = rawRequest("GET", "/.well-known/jwks.json", List.of(host));

        assertThat(token)
                .startsWith("HTTP/1.1 403")
                .contains("HOST_NOT_ALLOWED")
                .doesNotContain("access_token");
        assertThat(jwks).startsWith("HTTP/1.1 403").doesNotContain("\"keys\"");
    }

    @Test
    void refusesTwoHostHeaders() throws Exception {
        assertThat(rawRequest("GET", "/.well-known/jwks.json", List.of("localhost", "attacker.example")))
                .startsWith("HTTP/1.1 403");
    }

    /** A hand-written request: java.net.http would not send a Host that differs from the URI. */
    private String rawRequest(String method, String path, List<String> hosts) throws Exception {
        String body = "{\"subject\":\"mallory\",\"roles\":[\"platform_admin\"]}";
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        hosts.forEach(host -> request.append("Host: ").append(host).append("\r\n"));
        request.append("Content-Type: application/json\r\nConnection: close\r\n");
        request.append("Content-Length: ")
                .append(method.equals("POST") ? body.length() : 0)
                .append("\r\n\r\n");
        if (method.equals("POST")) {
            request.append(body);
        }
        try (Socket socket = new Socket("127.0.0.1", idp.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private DevIdentityProvider startProvider() {
        return DevIdentityProvider.start(
                dataDir.resolve("idp/signing-key.json"),
                "127.0.0.1",
                0,
                null,
                Duration.ofHours(1),
                "keyledger",
                List.of("localhost", "127.0.0.1", "[::1]"));
    }

    private RSAKey publishedKey(String keyId) throws Exception {
        JWKSet jwks = JWKSet.parse(get("/.well-known/jwks.json").body());
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(keyId);
        assertThat(key).as("published key %s", keyId).isNotNull();
        assertThat(key.isPrivate()).isFalse();
        assertThat(jwks.getKeys()).hasSize(1);
        return key;
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri("/dev/token"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + idp.port() + path);
    }
}
