package dev.keyledger.standalone.authserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.keyledger.cli.KeyledgerCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client-credentials clients of the development identity provider, and {@code keyledger auth
 * token} against it: tokens carry the configured roles, organization and the APIs' audience; a
 * wrong secret, an unknown client and an unconfigured provider are refused.
 */
class ClientCredentialsTest {

    private static final String ORGANIZATION = "org_01JH0000000000000000000000";
    private static final String ADMIN_SECRET = "cli-test-secret-0123456789";
    private static final String AUDITOR_SECRET = "auditor-secret-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;

    private static AuthorizationServer idp;

    @BeforeAll
    static void start() {
        idp = AuthorizationServer.start(new AuthorizationServer.Settings(
                dataDir.resolve("idp/signing-key.json"),
                "127.0.0.1",
                0,
                null,
                Duration.ofMinutes(10),
                "keyledger",
                List.of("localhost", "127.0.0.1"),
                null,
                null,
                List.of(
                        new ClientCredentialsClient("keyledger-cli", ADMIN_SECRET, List.of("platform_admin"), null),
                        new ClientCredentialsClient("auditor", AUDITOR_SECRET, List.of("org_member"), ORGANIZATION))));
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    record Run(int exit, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = KeyledgerCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static JWTClaimsSet verified(String jwt) throws Exception {
        assertThat(jwt).as("a JWT").matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        SignedJWT token = SignedJWT.parse(jwt);
        String jwks = HTTP.send(
                        HttpRequest.newBuilder(URI.create(idp.jwksUri())).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        RSAKey key = (RSAKey) JWKSet.parse(jwks).getKeyByKeyId(token.getHeader().getKeyID());
        assertThat(token.verify(new RSASSAVerifier(key))).isTrue();
        return token.getJWTClaimsSet();
    }

    @Test
    void theCliPrintsAPlatformAdminTokenForItsClient() throws Exception {
        Run run = cli(
                "auth",
                "token",
                "--issuer",
                idp.issuer(),
                "--client-id",
                "keyledger-cli",
                "--client-secret",
                ADMIN_SECRET);

        assertThat(run.exit()).as(run.err()).isZero();
        JWTClaimsSet claims = verified(run.out().strip());
        assertThat(claims.getIssuer()).isEqualTo(idp.issuer());
        assertThat(claims.getSubject()).isEqualTo("keyledger-cli");
        assertThat(claims.getAudience()).containsExactly("keyledger");
        assertThat(claims.getStringListClaim("roles")).containsExactly("platform_admin");
        assertThat(claims.getClaim("organization_id")).isNull();
        assertThat(claims.getExpirationTime()).isNotNull();
    }

    @Test
    void anOrganizationClientsTokenCarriesItsOrganization() throws Exception {
        Run run = cli(
                "auth", "token", "--issuer", idp.issuer(), "--client-id", "auditor", "--client-secret", AUDITOR_SECRET);

        assertThat(run.exit()).as(run.err()).isZero();
        JWTClaimsSet claims = verified(run.out().strip());
        assertThat(claims.getStringListClaim("roles")).containsExactly("org_member");
        assertThat(claims.getStringClaim("organization_id")).isEqualTo(ORGANIZATION);
    }

    @Test
    void aWrongSecretIsRefusedWithExitFour() {
        Run run = cli(
                "auth",
                "token",
                "--issuer",
                idp.issuer(),
                "--client-id",
                "keyledger-cli",
                "--client-secret",
                "not-the-secret-at-all");

        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("HTTP 401").contains("invalid_client").doesNotContain("not-the-secret");
    }

    @Test
    void theTokenEndpointRefusesAnUnknownClient() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(idp.issuer() + "/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString("stranger:whatever-secret-123"
                                                        .getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("invalid_client");
    }

    @Test
    void anUnreachableIssuerIsExitThree() {
        Run run = cli(
                "auth",
                "token",
                "--issuer",
                "http://127.0.0.1:1",
                "--client-id",
                "keyledger-cli",
                "--client-secret",
                ADMIN_SECRET);

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("cannot reach the identity provider").doesNotContain("Exception");
    }

    @Test
    void aClientWithoutAStrongSecretOrWithAnOrganizationRoleButNoOrganizationIsRefused() {
        assertThatThrownBy(() -> new ClientCredentialsClient("cli", "short", List.of(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 16 characters");
        assertThatThrownBy(() -> new ClientCredentialsClient("cli", ADMIN_SECRET, List.of("org_admin"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need an organization-id");
        assertThat(new ClientCredentialsClient("cli", ADMIN_SECRET, null, null).toString())
                .doesNotContain(ADMIN_SECRET);
    }
}
