package dev.keyledger.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.query.auditchain.AuditSigningKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public keys that sign audit checkpoints, current and retired, as a JWK set. Anyone may read
 * it (security.AnonymousEndpoints): an auditor needs it without an account of ours.
 */
@RestController
@Tag(name = "audit")
class SigningKeysController {

    static final String PATH = "/api/v1/audit/signing-keys";

    private final AuditSigningKeys keys;

    SigningKeysController(AuditSigningKeys keys) {
        this.keys = keys;
    }

    /** A JWK set (RFC 7517). */
    @Schema(name = "SigningKeySet")
    record KeySet(List<Key> keys) {}

    /** An Ed25519 public key (RFC 8037); {@code kid} is the checkpoints' {@code key_id}. */
    @Schema(name = "SigningKey")
    record Key(
            @Schema(allowableValues = "OKP") String kty,
            @Schema(allowableValues = "Ed25519") String crv,

            @Schema(description = "The 32-byte public key, base64url without padding")
            String x,

            String kid,
            @Schema(allowableValues = "sig") String use,
            @Schema(allowableValues = "EdDSA") String alg) {}

    @Operation(
            operationId = "getAuditSigningKeys",
            summary = "The public keys of audit checkpoints, current and retired (JWK set)",
            description = "Roles: none. Anonymous, unlike every other call: no `org_member`, `org_admin` or"
                    + " `platform_admin` token is needed. Every key that ever signed a checkpoint stays listed after it"
                    + " is retired.")
    @SecurityRequirements
    @ApiResponse(
            responseCode = "200",
            description = "The JWK set",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = KeySet.class)))
    @ApiResponse(responseCode = "406", ref = "NotAcceptable")
    @GetMapping(PATH)
    ResponseEntity<KeySet> signingKeys() {
        List<Key> list = new ArrayList<>();
        for (JsonNode key : keys.jwks().toJson().get("keys")) {
            list.add(new Key(
                    key.get("kty").asText(),
                    key.get("crv").asText(),
                    key.get("x").asText(),
                    key.get("kid").asText(),
                    key.get("use").asText(),
                    key.get("alg").asText()));
        }
        return ResponseEntity.ok()
                .cacheControl(
                        CacheControl.maxAge(java.time.Duration.ofMinutes(5)).cachePublic())
                .body(new KeySet(list));
    }
}
