package dev.keyledger.servicekit.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One refusal as a service documents it: when it happens there, and the message (and for a 400
 * the rejected field) of the example body.
 */
public record RefusalDescription(Refusal refusal, String description, String exampleMessage, Detail exampleDetail) {

    /** A rejected field of the example body; the rule, never the value. */
    public record Detail(String field, String message) {}

    public RefusalDescription {
        Objects.requireNonNull(refusal, "refusal");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(exampleMessage, "exampleMessage");
    }

    /** The example body {@code {error, message, code, details?}}. */
    Map<String, Object> example() {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("error", refusal.error);
        example.put("message", exampleMessage);
        example.put("code", refusal.code);
        if (exampleDetail != null) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("field", exampleDetail.field());
            detail.put("message", exampleDetail.message());
            example.put("details", List.of(detail));
        }
        return example;
    }
}
