package dev.keyledger.query.organizationusage;

import dev.keyledger.query.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of the per-key rows: base64url (no padding) of {@code k1:<last key id>},
 * a position in key-id order. Anything this API did not issue is a 400 on {@code cursor}.
 */
final class UsageCursor {

    private static final String VERSION = "k1:";
    private static final int MAX_LENGTH = 256;
    private static final String RULE = "is not a cursor returned by this API (use next_cursor as it was returned)";

    private UsageCursor() {}

    static String after(String keyId) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((VERSION + keyId).getBytes(StandardCharsets.UTF_8));
    }

    /** The key id the cursor points after, {@code null} when absent. */
    static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        if (cursor.length() > MAX_LENGTH) {
            throw ApiException.badRequest("cursor", RULE);
        }
        String text;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(cursor);
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw ApiException.badRequest("cursor", RULE);
        }
        if (!text.startsWith(VERSION) || text.length() == VERSION.length()) {
            throw ApiException.badRequest("cursor", RULE);
        }
        String keyId = text.substring(VERSION.length());
        for (int i = 0; i < keyId.length(); i++) {
            char c = keyId.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw ApiException.badRequest("cursor", RULE);
            }
        }
        return keyId;
    }
}
