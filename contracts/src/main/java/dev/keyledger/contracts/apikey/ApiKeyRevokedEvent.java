package dev.keyledger.contracts.apikey;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.axonframework.serialization.Revision;

/**
 * A key was revoked; it must stop working at once. {@code reason} is the caller's reason when one
 * was given (revoke-all, database deletion) and absent otherwise: an additive, optional field, so
 * revision 1 payloads without it still read, and it is left out of the JSON when null so that a
 * revocation without a reason keeps its old shape. {@code keyHash} is the hex SHA-256 of the key,
 * as in its {@link ApiKeyIssuedEvent}: additive and optional the same way (events stored before it
 * lack it), so that an edge reading {@code keyledger.key-events} can drop the key from its table
 * without waiting for the read side (decision 0019).
 */
@Revision("1")
public record ApiKeyRevokedEvent(
        String keyId,
        String organizationId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
        @JsonInclude(JsonInclude.Include.NON_NULL) String keyHash)
        implements ApiKeyEvent {

    public ApiKeyRevokedEvent(String keyId, String organizationId) {
        this(keyId, organizationId, null, null);
    }

    public ApiKeyRevokedEvent(String keyId, String organizationId, String reason) {
        this(keyId, organizationId, reason, null);
    }
}
