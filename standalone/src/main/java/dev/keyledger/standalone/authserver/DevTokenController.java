package dev.keyledger.standalone.authserver;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /dev/token}: a signed access token for whatever subject, organization and roles a
 * script asks for, signed with the same key and carrying the same issuer and audience as the tokens
 * of the sign-in flow. It trusts every caller; the provider exists only in the standalone, on
 * loopback, behind the Host allowlist.
 */
@RestController
class DevTokenController {

    static final String PATH = "/dev/token";
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final JwtEncoder encoder;
    private final AuthServerSettings settings;
    private final String issuer;
    private final Clock clock = Clock.systemUTC();

    DevTokenController(JwtEncoder encoder, AuthServerSettings settings, AuthorizationServerSettings server) {
        this.encoder = encoder;
        this.settings = settings;
        this.issuer = server.getIssuer();
    }

    @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> token(HttpServletRequest request) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            return ResponseEntity.status(413)
                    .body(error("payload_too_large", "The body is larger than 64 KiB", "PAYLOAD_TOO_LARGE"));
        }
        TokenRequest token;
        try {
            token = TokenRequest.parse(new String(body, StandardCharsets.UTF_8));
        } catch (TokenRequest.Invalid invalid) {
            Map<String, Object> refusal =
                    error("bad_request", invalid.field() + ": " + invalid.getMessage(), "VALIDATION_FAILED");
            refusal.put("details", List.of(Map.of("field", invalid.field(), "message", invalid.getMessage())));
            return ResponseEntity.badRequest().body(refusal);
        }
        Instant now = clock.instant();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(issuer)
                .subject(token.subject())
                .audience(List.of(settings.audience()))
                .issuedAt(now)
                .notBefore(now)
                .expiresAt(now.plus(settings.tokenLifetime()));
        token.customClaims().forEach(claims::claim);
        String jwt = encoder.encode(JwtEncoderParameters.from(
                        JwsHeader.with(SignatureAlgorithm.RS256).type("JWT").build(), claims.build()))
                .getTokenValue();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", jwt);
        answer.put("token_type", "Bearer");
        answer.put("expires_in", settings.tokenLifetime().toSeconds());
        return ResponseEntity.ok(answer);
    }

    static Map<String, Object> error(String error, String message, String code) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        body.put("code", code);
        return body;
    }
}
