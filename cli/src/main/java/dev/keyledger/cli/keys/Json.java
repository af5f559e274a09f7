package dev.keyledger.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reading optional members of service answers for tables: absent or null is {@code null}. */
final class Json {

    private Json() {}

    static String text(JsonNode node, String... path) {
        JsonNode value = node;
        for (String member : path) {
            if (value == null) {
                return null;
            }
            value = value.get(member);
        }
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(item.isValueNode() ? item.asText() : item.toString()));
            return items.isEmpty() ? null : String.join(" ", items);
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** The first member of {@code names} that {@code node} has, or {@code null}. */
    static JsonNode first(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && !value.isNull()) {
                return value;
            }
        }
        return null;
    }

    /** {@code {"data":[...]}}' list, or a failure message when the answer has none. */
    static JsonNode data(JsonNode answer) {
        JsonNode data = answer.get("data");
        return data != null && data.isArray() ? data : null;
    }
}
