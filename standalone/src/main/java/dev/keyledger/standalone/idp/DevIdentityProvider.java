package dev.keyledger.standalone.idp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import dev.keyledger.standalone.http.JsonHttpServer;
import dev.keyledger.standalone.http.JsonHttpServer.RequestException;
import dev.keyledger.standalone.http.JsonHttpServer.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The development identity provider; see the package documentation. */
public final class DevIdentityProvider implements AutoCloseable {

    public static final String JWKS_PATH = "/.well-known/jwks.json";
    public static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
    public static final String TOKEN_PATH = "/dev/token";

    private final RSAKey key;
    private final String issuer;
    private final String audience;
    private final HostAllowlist allowedHosts;
    private final Duration tokenLifetime;
    private final Clock clock;
    private final JsonHttpServer server;

    private DevIdentityProvider(
            RSAKey key,
            String issuer,
            Duration tokenLifetime,
            String audience,
            List<String> allowedHosts,
            Clock clock,
            String host,
            int port) {
        this.key = key;
        this.audience = audience;
        this.allowedHosts = new HostAllowlist(allowedHosts);
        this.tokenLifetime = tokenLifetime;
        this.clock = clock;
        this.server = JsonHttpServer.bind("dev-idp", host, port);
        this.issuer = issuer != null ? issuer : "http://localhost:" + server.port();
        server.route(JWKS_PATH, this::jwks)
                .route(DISCOVERY_PATH, this::discovery)
                .route(TOKEN_PATH, this::token)
                .start();
    }

    /**
     * Starts the provider on {@code host:port} (0 for any free port).
     *
     * @param keyFile where the signing key lives; created with a new key when absent
     * @param issuer the {@code iss} claim, or {@code null} for {@code http://localhost:<port>}
     * @param audience the {@code aud} claim of every token
     * @param allowedHosts host names a request's {@code Host} header may carry (any port); every
     *     other request is 403 HOST_NOT_ALLOWED
     */
    public static DevIdentityProvider start(
            Path keyFile,
            String host,
            int port,
            String issuer,
            Duration tokenLifetime,
            String audience,
            List<String> allowedHosts) {
        return new DevIdentityProvider(
                SigningKeyStore.loadOrCreate(keyFile),
                issuer,
                tokenLifetime,
                audience,
                allowedHosts,
                Clock.systemUTC(),
                host,
                port);
    }

    public int port() {
        return server.port();
    }

    public String issuer() {
        return issuer;
    }

    public String jwksUri() {
        return issuer + JWKS_PATH;
    }

    @Override
    public void close() {
        server.close();
    }

    private Response jwks(HttpExchange exchange) throws RequestException {
        requireAllowedHost(exchange);
        requireExactPath(exchange, JWKS_PATH);
        JsonHttpServer.requireMethod(exchange, "GET");
        return Response.json(200, new JWKSet(key.toPublicJWK()).toJSONObject(true));
    }

    private Response discovery(HttpExchange exchange) throws RequestException {
        requireAllowedHost(exchange);
        requireExactPath(exchange, DISCOVERY_PATH);
        JsonHttpServer.requireMethod(exchange, "GET");
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("jwks_uri", jwksUri());
        document.put("token_endpoint", issuer + TOKEN_PATH);
        document.put("response_types_supported", List.of("token"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of(JWSAlgorithm.RS256.getName()));
        document.put("claims_supported", List.of("iss", "aud", "sub", "iat", "exp", "organization_id", "roles"));
        return Response.json(200, document);
    }

    private Response token(HttpExchange exchange) throws IOException, RequestException {
        requireAllowedHost(exchange);
        requireExactPath(exchange, TOKEN_PATH);
        JsonHttpServer.requireMethod(exchange, "POST");
        TokenRequest request = TokenRequest.parse(JsonHttpServer.body(exchange));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", sign(request));
        body.put("token_type", "Bearer");
        body.put("expires_in", tokenLifetime.toSeconds());
        return Response.json(200, body);
    }

    private String sign(TokenRequest request) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(request.subject())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(tokenLifetime)))
                .claim("roles", request.roles());
        if (request.organizationId() != null) {
            claims.claim("organization_id", request.organizationId());
        }
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a development token", e);
        }
        return jwt.serialize();
    }

    /** Checked before anything else, so that a rebound name gets neither a token nor a key. */
    private void requireAllowedHost(HttpExchange exchange) throws RequestException {
        if (!allowedHosts.allows(exchange.getRequestHeaders().get("Host"))) {
            throw new RequestException(JsonHttpServer.error(403, "forbidden", "Host not allowed", "HOST_NOT_ALLOWED"));
        }
    }

    private static void requireExactPath(HttpExchange exchange, String path) throws RequestException {
        if (!exchange.getRequestURI().getPath().equals(path)) {
            throw new RequestException(JsonHttpServer.error(404, "not_found", "No such resource", "NOT_FOUND"));
        }
    }
}
