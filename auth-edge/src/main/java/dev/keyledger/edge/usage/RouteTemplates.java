package dev.keyledger.edge.usage;

/**
 * Turns a raw path into a bounded route template for usage events: the segment after
 * {@code databases} becomes {@code {db}}, any other segment that looks like an identifier (has a
 * digit, or is long) becomes {@code {id}}; the query string is dropped and the result is capped in
 * segments and length. So a metric or a bucket keyed on the route stays small.
 */
public final class RouteTemplates {

    static final int MAX_SEGMENTS = 8;
    static final int MAX_SEGMENT_LENGTH = 32;

    private RouteTemplates() {}

    public static String template(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        int end = path.length();
        int query = path.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        StringBuilder out = new StringBuilder(Math.min(end, 128));
        int segments = 0;
        boolean afterDatabases = false;
        int i = 0;
        while (i < end) {
            if (path.charAt(i) == '/') {
                i++;
                continue;
            }
            int start = i;
            while (i < end && path.charAt(i) != '/') {
                i++;
            }
            if (++segments > MAX_SEGMENTS) {
                out.append("/...");
                break;
            }
            String segment = path.substring(start, i);
            out.append('/');
            if (afterDatabases) {
                out.append("{db}");
            } else if (looksLikeId(segment)) {
                out.append("{id}");
            } else {
                out.append(segment);
            }
            afterDatabases = segment.equals("databases");
        }
        return out.isEmpty() ? "/" : out.toString();
    }

    private static boolean looksLikeId(String segment) {
        if (segment.length() > MAX_SEGMENT_LENGTH) {
            return true;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.';
            if (!plain) {
                return true;
            }
        }
        return false;
    }
}
