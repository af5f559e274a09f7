package dev.keyledger.contracts.apikey;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.axonframework.serialization.Revision;

/**
 * A key was revoked; it must stop working at once. {@code reason} is the caller's reason when one
 * was given (revoke-all, database deletion) and absent otherwise: an additive, optional field, so
 * revision 1 payloads without it still read, and it is left out of the JSON when null so that a
 * revocation without a reason keeps its old shape.
 */
@Revision("1")
public record ApiKeyRevokedEvent(
        String keyId,
        String organizationId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reason) implements ApiKeyEvent {

    public ApiKeyRevokedEvent(String keyId, String organizationId) {
        this(keyId, organizationId, null);
    }
}
