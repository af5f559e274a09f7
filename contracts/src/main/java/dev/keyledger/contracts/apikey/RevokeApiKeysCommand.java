package dev.keyledger.contracts.apikey;

import java.util.List;

/**
 * Revokes many keys of one organization in one unit of work, one {@link ApiKeyRevokedEvent} per
 * key that was still usable; keys already revoked or expired are skipped. The handler answers with
 * the number of keys it revoked. {@code reason} is a
 * {@link dev.keyledger.contracts.value.Reason}.
 */
public record RevokeApiKeysCommand(String organizationId, List<String> keyIds, String reason) {

    public RevokeApiKeysCommand {
        keyIds = List.copyOf(keyIds);
    }
}
