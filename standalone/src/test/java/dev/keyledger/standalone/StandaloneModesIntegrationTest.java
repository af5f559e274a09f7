package dev.keyledger.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import dev.keyledger.testsupport.TestPorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code keyledger.standalone.mode}: {@code idp} runs only the identity provider (its port,
 * issuer and the portal client's redirect URI set from outside, as the local cluster does) and
 * {@code upstream} only the demo upstream; neither starts PostgreSQL, Kafka or a service.
 */
class StandaloneModesIntegrationTest {

    private static final String HOST = "127.0.0.1";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void idpModeRunsOnlyTheIdentityProviderWithItsIssuerAndThePortalRedirect() throws Exception {
        int idpPort = freePort();
        int postgresPort = freePort();
        int kafkaPort = freePort();
        int upstreamPort = freePort();
        String issuer = "http://" + HOST + ":" + idpPort;
        String portal = "http://" + HOST + ":" + freePort();
        try (ConfigurableApplicationContext context = StandaloneApplication.start(
                "--keyledger.standalone.mode=idp",
                "--keyledger.standalone.data-dir=" + dataDir,
                "--keyledger.standalone.idp.port=" + idpPort,
                "--keyledger.standalone.idp.issuer=" + issuer,
                "--keyledger.standalone.idp.portal-base-url=" + portal,
                "--keyledger.standalone.postgres.port=" + postgresPort,
                "--keyledger.standalone.kafka.port=" + kafkaPort,
                "--keyledger.standalone.upstream.port=" + upstreamPort)) {
            Platform platform = context.getBean(Platform.class);
            assertThat(platform.identityProvider().port()).isEqualTo(idpPort);
            assertThat(platform.postgres()).isNull();
            assertThat(platform.kafka()).isNull();
            assertThat(platform.upstream()).isNull();
            assertThat(platform.services()).isEmpty();
            for (int port : List.of(postgresPort, kafkaPort, upstreamPort)) {
                assertThat(listening(port)).as("port %d", port).isFalse();
            }

            // A token from /dev/token verifies against the published JWKS and names the issuer.
            HttpResponse<String> token = HTTP.send(
                    HttpRequest.newBuilder(URI.create(issuer + "/dev/token"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"subject\":\"root\",\"roles\":[\"platform_admin\"]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).isEqualTo(200);
            SignedJWT jwt =
                    SignedJWT.parse((String) JSONObjectUtils.parse(token.body()).get("access_token"));
            JWKSet jwks = JWKSet.parse(get(issuer + "/.well-known/jwks.json").body());
            RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
            assertThat(key).isNotNull();
            assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
            assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(issuer);
            assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("keyledger");

            Map<String, Object> discovery = JSONObjectUtils.parse(
                    get(issuer + "/.well-known/openid-configuration").body());
            assertThat(discovery).containsEntry("issuer", issuer);
            assertThat(discovery).containsEntry("jwks_uri", issuer + "/.well-known/jwks.json");

            // The portal client accepts the configured redirect URI, and only that one.
            assertThat(authorize(issuer, portal + "/login/oauth2/code/keyledger")
                            .statusCode())
                    .isEqualTo(302);
            // (Spring Authorization Server ignores the port of a loopback redirect URI, RFC 8252.)
            assertThat(authorize(issuer, portal + "/elsewhere").statusCode()).isEqualTo(400);
            assertThat(authorize(issuer, "http://localhost.example/login/oauth2/code/keyledger")
                            .statusCode())
                    .isEqualTo(400);
        }
        assertThat(listening(idpPort)).isFalse();
    }

    @Test
    void upstreamModeRunsOnlyTheDemoUpstream() throws Exception {
        int upstreamPort = freePort();
        int idpPort = freePort();
        int postgresPort = freePort();
        try (ConfigurableApplicationContext context = StandaloneApplication.start(
                "--keyledger.standalone.mode=upstream",
                "--keyledger.standalone.data-dir=" + dataDir,
                "--keyledger.standalone.upstream.port=" + upstreamPort,
                "--keyledger.standalone.idp.port=" + idpPort,
                "--keyledger.standalone.postgres.port=" + postgresPort)) {
            Platform platform = context.getBean(Platform.class);
            assertThat(platform.upstream().port()).isEqualTo(upstreamPort);
            assertThat(platform.identityProvider()).isNull();
            assertThat(platform.postgres()).isNull();
            assertThat(listening(idpPort)).isFalse();
            assertThat(listening(postgresPort)).isFalse();

            HttpResponse<String> reply = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + upstreamPort + "/api/v1/chat/message"))
                            .header("X-Keyledger-Organization-Id", "org_1")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"message\":\"hi\",\"conversation_id\":\"c1\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).isEqualTo(200);
            Map<String, Object> body = JSONObjectUtils.parse(reply.body());
            assertThat(body).containsEntry("reply", "You said: hi").containsEntry("conversation_id", "c1");
            assertThat(body.get("caller").toString()).contains("org_1");
        }
        assertThat(listening(upstreamPort)).isFalse();
    }

    private static HttpResponse<String> authorize(String issuer, String redirectUri) throws Exception {
        String query = "response_type=code&client_id=portal&scope=openid&state=s1"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
                + "&redirect_uri=" + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8);
        return get(issuer + "/oauth2/authorize?" + query);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        return TestPorts.free();
    }
}
