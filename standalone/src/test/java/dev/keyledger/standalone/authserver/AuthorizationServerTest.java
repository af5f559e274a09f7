package dev.keyledger.standalone.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationServerTest {

    private static final String ORGANIZATION = "org_01JH0000000000000000000000";
    private static final URI PORTAL = URI.create("http://127.0.0.1:18383");
    private static final String SECRET = "test-secret";

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;

    private AuthorizationServer idp;

    @BeforeAll
    void start() {
        idp = startProvider();
    }

    @AfterAll
    void stop() {
        idp.close();
    }

    @Test
    void signsDevTokensThatVerifyAgainstItsJwks() throws Exception {
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
                .containsEntry("jwks_uri", idp.issuer() + "/.well-known/jwks.json")
                .containsKeys("authorization_endpoint", "token_endpoint", "end_session_endpoint");
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
    void refusesRequestsForAHostNameNotOnTheAllowlist() throws Exception {
        HttpClient rebinding = HttpClient.newBuilder().build();
        // java.net.http refuses to set Host; a raw request shows what a rebinding page would send.
        try (var socket = new java.net.Socket("127.0.0.1", idp.port())) {
            socket.getOutputStream()
                    .write(("GET /.well-known/jwks.json HTTP/1.1\r\nHost: attacker.example:" + idp.port()
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 403").contains("HOST_NOT_ALLOWED");
        }
        assertThat(rebinding
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://localhost:" + idp.port() + "/.well-known/jwks.json"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void signsInThroughTheDevelopmentPageWithPkceAndIssuesTokensWithTheClaims() throws Exception {
        HttpClient browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String verifier = "verifier-" + "x".repeat(50);
        String challenge = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String redirect = PORTAL + "/login/oauth2/code/keyledger";
        URI authorize = uri("/oauth2/authorize?response_type=code&client_id=portal&scope=openid&state=s1"
                + "&redirect_uri=" + encode(redirect) + "&code_challenge=" + challenge
                + "&code_challenge_method=S256&nonce=n1");

        HttpResponse<String> first = browser.send(html(authorize), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        HttpResponse<String> page = browser.send(html(uri("/login")), HttpResponse.BodyHandlers.ofString());
        assertThat(page.body())
                .contains("<label for=\"subject\">Subject</label>")
                .contains("<label for=\"organization_id\">Organization ID</label>")
                .contains("<label for=\"role\">Role</label>")
                .contains(">Sign in</button>");
        assertThat(page.headers().firstValue("Set-Cookie").orElse("")).doesNotContain("JSESSIONID");
        String csrf = match(page.body(), "name=\"_csrf\" value=\"([^\"]+)\"");

        HttpResponse<String> signedIn = browser.send(
                form(uri("/login"), "subject=alice&organization_id=" + ORGANIZATION + "&role=org_admin&_csrf=" + csrf),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        HttpResponse<String> granted = browser.send(
                html(URI.create(signedIn.headers().firstValue("Location").orElseThrow())),
                HttpResponse.BodyHandlers.ofString());
        String callback = granted.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(redirect + "?code=").contains("state=s1");
        String code = match(callback, "code=([^&]+)");

        HttpResponse<String> tokens = http.send(
                HttpRequest.newBuilder(uri("/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString(("portal:" + SECRET).getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + code
                                + "&redirect_uri=" + encode(redirect) + "&code_verifier=" + verifier))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        Map<String, Object> body = JSONObjectUtils.parse(tokens.body());
        JWTClaimsSet access = SignedJWT.parse((String) body.get("access_token")).getJWTClaimsSet();
        assertThat(access.getIssuer()).isEqualTo(idp.issuer());
        assertThat(access.getSubject()).isEqualTo("alice");
        assertThat(access.getAudience()).containsExactly("keyledger");
        assertThat(access.getStringClaim("organization_id")).isEqualTo(ORGANIZATION);
        assertThat(access.getStringListClaim("roles")).containsExactly("org_admin");
        JWTClaimsSet id = SignedJWT.parse((String) body.get("id_token")).getJWTClaimsSet();
        assertThat(id.getAudience()).containsExactly("portal");
        assertThat(id.getStringClaim("organization_id")).isEqualTo(ORGANIZATION);
        assertThat(body).containsKey("refresh_token");
    }

    @Test
    void refusesAnAuthorizationRequestWithoutPkce() throws Exception {
        HttpClient browser = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpResponse<String> response = browser.send(
                html(uri("/oauth2/authorize?response_type=code&client_id=portal&scope=openid&redirect_uri="
                        + encode(PORTAL + "/login/oauth2/code/keyledger"))),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.headers().firstValue("Location").orElse("")).contains("error=invalid_request");
    }

    private AuthorizationServer startProvider() {
        return AuthorizationServer.start(new AuthorizationServer.Settings(
                dataDir.resolve("idp/signing-key.json"),
                "127.0.0.1",
                0,
                null,
                Duration.ofHours(1),
                "keyledger",
                List.of("localhost", "127.0.0.1"),
                PORTAL,
                SECRET));
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

    private static HttpRequest html(URI uri) {
        return HttpRequest.newBuilder(uri).header("Accept", "text/html").build();
    }

    private static HttpRequest form(URI uri, String body) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + idp.port() + path);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String match(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("%s in %s", regex, text).isTrue();
        return matcher.group(1);
    }
}
