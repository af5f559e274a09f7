package dev.keyledger.standalone.authserver;

import dev.keyledger.standalone.sharedjvm.NoServletReactorContextHook;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The development identity provider of the standalone; see the package documentation. */
public final class AuthorizationServer implements AutoCloseable {

    public static final String JWKS_PATH = "/.well-known/jwks.json";
    public static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
    public static final String TOKEN_PATH = DevTokenController.PATH;
    /** The portal's client id; its secret is {@link Settings#portalClientSecret()}. */
    public static final String PORTAL_CLIENT_ID = "portal";
    /** The session cookie of the sign-in; the portal's has another name (cookies ignore ports). */
    public static final String SESSION_COOKIE = "KEYLEDGER_IDP_SESSION";

    /**
     * Auto-configurations the services bring onto the shared classpath that this context must not
     * pick up: it has no database, no broker, no template engine, and is neither a resource server
     * nor an OAuth2 client.
     */
    private static final List<String> FOREIGN = List.of(
            "org.axonframework.",
            "org.springframework.boot.jdbc.",
            "org.springframework.boot.flyway.",
            "org.springframework.boot.kafka.",
            "org.springframework.boot.thymeleaf.",
            "org.springframework.boot.security.oauth2.server.resource.",
            "org.springframework.boot.security.oauth2.client.");

    /**
     * How to start the provider.
     *
     * @param keyFile the signing key, created when absent
     * @param host the address to bind
     * @param port the port, 0 for any free one
     * @param issuer the {@code iss} of every token, {@code null} for {@code http://localhost:<port>}
     * @param tokenLifetime lifetime of access tokens, from {@code /dev/token} and from sign-ins
     * @param audience the {@code aud} of access tokens
     * @param allowedHosts host names accepted in the {@code Host} header
     * @param portalBaseUrl where the portal answers, for its redirect URIs; {@code null} registers
     *     no portal client
     * @param portalClientSecret the portal client's secret
     * @param clientCredentialsClients clients of the client-credentials grant (scripts, the CLI);
     *     none unless configured
     */
    public record Settings(
            Path keyFile,
            String host,
            int port,
            String issuer,
            Duration tokenLifetime,
            String audience,
            List<String> allowedHosts,
            URI portalBaseUrl,
            String portalClientSecret,
            List<ClientCredentialsClient> clientCredentialsClients) {

        public Settings {
            allowedHosts = List.copyOf(allowedHosts);
            clientCredentialsClients =
                    clientCredentialsClients == null ? List.of() : List.copyOf(clientCredentialsClients);
        }

        /** Settings without client-credentials clients. */
        public Settings(
                Path keyFile,
                String host,
                int port,
                String issuer,
                Duration tokenLifetime,
                String audience,
                List<String> allowedHosts,
                URI portalBaseUrl,
                String portalClientSecret) {
            this(
                    keyFile,
                    host,
                    port,
                    issuer,
                    tokenLifetime,
                    audience,
                    allowedHosts,
                    portalBaseUrl,
                    portalClientSecret,
                    List.of());
        }
    }

    private final ConfigurableApplicationContext context;
    private final int port;
    private final String issuer;

    private AuthorizationServer(ConfigurableApplicationContext context, int port, String issuer) {
        this.context = context;
        this.port = port;
        this.issuer = issuer;
    }

    /** Starts the provider and returns once it accepts connections. */
    public static AuthorizationServer start(Settings settings) {
        int port = settings.port() == 0 ? FreePort.find(settings.host()) : settings.port();
        String issuer = settings.issuer() != null ? settings.issuer() : "http://localhost:" + port;
        ConfigurableApplicationContext context = NoServletReactorContextHook.applyTo(
                        new SpringApplicationBuilder(AuthServerApplication.class))
                .web(WebApplicationType.SERVLET)
                .properties(properties(settings, port, issuer))
                .run();
        int bound = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new AuthorizationServer(context, bound, issuer);
    }

    public int port() {
        return port;
    }

    public String issuer() {
        return issuer;
    }

    public String jwksUri() {
        return issuer + JWKS_PATH;
    }

    @Override
    public void close() {
        context.close();
    }

    private static Map<String, Object> properties(Settings settings, int port, String issuer) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("spring.config.name", "authserver");
        values.put("server.port", port);
        values.put("server.address", settings.host());
        values.put("server.error.include-stacktrace", "never");
        values.put("server.servlet.session.cookie.name", SESSION_COOKIE);
        values.put("server.servlet.session.cookie.http-only", "true");
        values.put("server.servlet.session.cookie.same-site", "lax");
        values.put("management.server.port", "-1");
        // springdoc is on the standalone classpath for the command- and query-service only.
        values.put("springdoc.api-docs.enabled", "false");
        values.put("spring.main.register-shutdown-hook", "false");
        values.put("spring.main.banner-mode", "off");
        values.put("spring.main.log-startup-info", "false");
        values.put("spring.jmx.enabled", "false");
        values.put("spring.threads.virtual.enabled", "true");
        values.put(
                "keyledger.authserver.key-file",
                settings.keyFile().toAbsolutePath().toString());
        values.put(
                "keyledger.authserver.token-lifetime", settings.tokenLifetime().toSeconds() + "s");
        values.put("keyledger.authserver.audience", settings.audience());
        values.put("keyledger.authserver.allowed-hosts", String.join(",", settings.allowedHosts()));
        String server = "spring.security.oauth2.authorizationserver.";
        values.put(server + "issuer", issuer);
        values.put(server + "endpoint.jwk-set-uri", JWKS_PATH);
        if (settings.portalBaseUrl() != null) {
            String base = settings.portalBaseUrl().toString().replaceAll("/$", "");
            String client = server + "client.portal.";
            values.put(client + "registration.client-id", PORTAL_CLIENT_ID);
            values.put(client + "registration.client-secret", "{noop}" + settings.portalClientSecret());
            values.put(client + "registration.client-authentication-methods", "client_secret_basic");
            values.put(client + "registration.authorization-grant-types", "authorization_code,refresh_token");
            values.put(client + "registration.redirect-uris", base + "/login/oauth2/code/keyledger");
            values.put(client + "registration.post-logout-redirect-uris", base + "/");
            values.put(client + "registration.scopes", "openid");
            values.put(client + "require-proof-key", "true");
            values.put(client + "require-authorization-consent", "false");
            values.put(
                    client + "token.access-token-time-to-live",
                    settings.tokenLifetime().toSeconds() + "s");
        }
        int index = 0;
        for (ClientCredentialsClient script : settings.clientCredentialsClients()) {
            String client = server + "client." + script.clientId() + ".";
            values.put(client + "registration.client-id", script.clientId());
            values.put(client + "registration.client-secret", "{noop}" + script.clientSecret());
            values.put(client + "registration.client-authentication-methods", "client_secret_basic,client_secret_post");
            values.put(client + "registration.authorization-grant-types", "client_credentials");
            values.put(client + "require-authorization-consent", "false");
            values.put(
                    client + "token.access-token-time-to-live",
                    settings.tokenLifetime().toSeconds() + "s");
            // A JWT the services verify themselves, not a reference token that needs introspection.
            values.put(client + "token.access-token-format", "self-contained");
            // The claims of its tokens, read by the token customizer (AuthServerSettings).
            String claims = "keyledger.authserver.client-credentials[" + index++ + "].";
            values.put(claims + "client-id", script.clientId());
            values.put(claims + "roles", String.join(",", script.roles()));
            if (script.organizationId() != null) {
                values.put(claims + "organization-id", script.organizationId());
            }
        }
        String excluded =
                ImportCandidates.load(AutoConfiguration.class, AuthorizationServer.class.getClassLoader())
                        .getCandidates()
                        .stream()
                        .filter(candidate -> FOREIGN.stream().anyMatch(candidate::startsWith))
                        .collect(Collectors.joining(","));
        if (!excluded.isEmpty()) {
            values.put("spring.autoconfigure.exclude", excluded);
        }
        return values;
    }
}
