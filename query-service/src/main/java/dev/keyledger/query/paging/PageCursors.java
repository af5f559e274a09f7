package dev.keyledger.query.paging;

import dev.keyledger.query.datasource.ReadApiDatabase;
import dev.keyledger.query.web.ApiException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * {@code limit} and {@code cursor} of the paged lists. A cursor is base64url (no padding) of a
 * position (the sort values of one row and its id, and whether the page lies after or before that
 * row) followed by an HMAC-SHA256 tag (16 bytes) over the position and the list's <em>scope</em>:
 * the endpoint, the organization, the sort and every filter. So a cursor altered in any byte, or one
 * issued for another organization, sort or filter, is a 400 on {@code cursor}, never a 500 and
 * never a page of another list. The key is the one row of {@code paging_cursor_key} (Flyway V4),
 * shared by every read instance of the database. Thread safe.
 */
@Component
public class PageCursors {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** Far longer than any cursor issued (names are at most 100 code points); longer is refused unread. */
    static final int MAX_CURSOR_LENGTH = 1024;

    private static final byte VERSION = 1;
    private static final int TAG_BYTES = 16;
    private static final String LIMIT_RULE = "must be a whole number from 1 to " + MAX_LIMIT;
    private static final String CURSOR_RULE =
            "is not a cursor of this list (use next_cursor or prev_cursor as returned, with the same sort and"
                    + " filters)";

    private final ReadApiDatabase database;
    private volatile SecretKeySpec key;
    // Keyed, never updated: only cloned (Mac is not thread safe, its clones are independent).
    private volatile Mac prototype;

    PageCursors(ReadApiDatabase database) {
        this.database = database;
    }

    /** Where a page starts: after (or, for a previous page, before) the row with these sort values. */
    public record Position(boolean before, List<String> values) {}

    /** {@link #DEFAULT_LIMIT} when absent; a 400 on {@code limit} unless 1 to {@link #MAX_LIMIT}. */
    public static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        if (value.length() > 4) {
            throw ApiException.badRequest("limit", LIMIT_RULE);
        }
        int limit;
        try {
            limit = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit", LIMIT_RULE);
        }
        if (limit < 1 || limit > MAX_LIMIT || value.charAt(0) == '+') {
            throw ApiException.badRequest("limit", LIMIT_RULE);
        }
        return limit;
    }

    /** The cursor of a page after ({@code before} false) or before the row with {@code values}. */
    public String encode(String scope, boolean before, List<String> values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeBoolean(before);
            out.writeByte(values.size());
            for (String value : values) {
                out.writeBoolean(value != null);
                if (value != null) {
                    out.writeUTF(value);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] position = bytes.toByteArray();
        byte[] cursor = Arrays.copyOf(position, position.length + TAG_BYTES);
        System.arraycopy(tag(scope, position), 0, cursor, position.length, TAG_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor);
    }

    /**
     * {@code null} when absent; the position of a cursor issued by {@link #encode} for this
     * {@code scope} with {@code size} values; a 400 on {@code cursor} for anything else.
     */
    public Position decode(String scope, String cursor, int size) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        if (cursor.length() > MAX_CURSOR_LENGTH) {
            throw ApiException.badRequest("cursor", CURSOR_RULE);
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", CURSOR_RULE);
        }
        if (bytes.length <= TAG_BYTES + 3) {
            throw ApiException.badRequest("cursor", CURSOR_RULE);
        }
        byte[] position = Arrays.copyOf(bytes, bytes.length - TAG_BYTES);
        byte[] tag = Arrays.copyOfRange(bytes, bytes.length - TAG_BYTES, bytes.length);
        if (!MessageDigest.isEqual(tag, tag(scope, position))) {
            throw ApiException.badRequest("cursor", CURSOR_RULE);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(position))) {
            if (in.readByte() != VERSION) {
                throw ApiException.badRequest("cursor", CURSOR_RULE);
            }
            boolean before = in.readBoolean();
            int count = in.readUnsignedByte();
            if (count != size) {
                throw ApiException.badRequest("cursor", CURSOR_RULE);
            }
            List<String> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                values.add(in.readBoolean() ? in.readUTF() : null);
            }
            if (in.available() != 0) {
                throw ApiException.badRequest("cursor", CURSOR_RULE);
            }
            return new Position(before, values);
        } catch (IOException e) {
            // Signed by us, so this cannot happen unless the key leaked; still a 400, never a 500.
            throw ApiException.badRequest("cursor", CURSOR_RULE);
        }
    }

    /**
     * The page at {@code position} (null: the first page) of a list read by {@code fetch}, which
     * returns up to {@code limit} + 1 rows from the position in the page's reading direction: the
     * list's order after the position, the reverse order before it. A previous page that would be
     * short (the start of the list is reached) is the first page instead, so pages stay full.
     */
    public <T> CursorPage<T> page(
            String scope,
            Position position,
            int limit,
            Function<Position, List<T>> fetch,
            Function<T, List<String>> values) {
        List<T> rows = fetch.apply(position);
        if (position == null || !position.before()) {
            List<T> data = List.copyOf(rows.subList(0, Math.min(limit, rows.size())));
            String next = rows.size() > limit ? encode(scope, false, values.apply(data.getLast())) : null;
            String prev =
                    position != null && !data.isEmpty() ? encode(scope, true, values.apply(data.getFirst())) : null;
            return new CursorPage<>(data, next, prev);
        }
        if (rows.size() < limit) {
            return page(scope, null, limit, fetch, values);
        }
        List<T> data = List.copyOf(rows.subList(0, limit).reversed());
        String prev = rows.size() > limit ? encode(scope, true, values.apply(data.getFirst())) : null;
        return new CursorPage<>(data, encode(scope, false, values.apply(data.getLast())), prev);
    }

    /** A 400 on {@code cursor}: for readers whose cursor values do not parse (only a leaked key could do that). */
    public static ApiException invalid() {
        return ApiException.badRequest("cursor", CURSOR_RULE);
    }

    private byte[] tag(String scope, byte[] position) {
        Mac mac = mac();
        mac.update(scope.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(position);
        return Arrays.copyOf(mac.doFinal(), TAG_BYTES);
    }

    /**
     * A fresh HMAC for one tag: a clone of one keyed on first use (no provider look-up and key
     * schedule per request: a page answer computes up to two tags, a paged request verifies one).
     */
    private Mac mac() {
        try {
            Mac current = prototype;
            if (current == null) {
                current = Mac.getInstance("HmacSHA256");
                current.init(key());
                prototype = current;
            }
            return (Mac) current.clone();
        } catch (CloneNotSupportedException e) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key());
                return mac;
            } catch (GeneralSecurityException inner) {
                throw new IllegalStateException("HmacSHA256 is unavailable", inner);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** Read once, on first use: Flyway has created the row by the time a request arrives. */
    private SecretKeySpec key() {
        SecretKeySpec current = key;
        if (current == null) {
            String secret =
                    database.jdbc().queryForObject("SELECT secret FROM paging_cursor_key WHERE id = 1", String.class);
            current = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
            key = current;
        }
        return current;
    }
}
