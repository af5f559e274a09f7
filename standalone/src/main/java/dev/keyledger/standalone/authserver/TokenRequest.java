package dev.keyledger.standalone.authserver;

import dev.keyledger.contracts.id.Ids;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A validated {@code POST /dev/token} body: {@code {"subject", "organization_id"?, "roles"?}}.
 *
 * @param organizationId {@code null} when the token is for no organization (a platform admin)
 */
record TokenRequest(String subject, String organizationId, List<String> roles) {

    private static final Set<String> FIELDS = Set.of("subject", "organization_id", "roles");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An invalid body: the field and what is wrong with it. */
    static final class Invalid extends Exception {

        private final String field;

        Invalid(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    static TokenRequest parse(String json) throws Invalid {
        JsonNode body;
        try {
            body = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new Invalid("body", "must be a JSON object");
        }
        if (body == null || !body.isObject()) {
            throw new Invalid("body", "must be a JSON object");
        }
        for (String field : body.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw new Invalid(field, "unknown field");
            }
        }
        return new TokenRequest(subject(body.get("subject")), organization(body.get("organization_id")), roles(body));
    }

    /** The claims this request adds to a token besides the standard ones. */
    Map<String, Object> customClaims() {
        return organizationId == null
                ? Map.of("roles", roles)
                : Map.of("roles", roles, "organization_id", organizationId);
    }

    private static String subject(JsonNode value) throws Invalid {
        if (value == null || !value.isString() || value.asString().isBlank()) {
            throw new Invalid("subject", "is required and must be a non-blank string");
        }
        String subject = value.asString();
        if (subject.length() > DevSignIn.MAX_SUBJECT_LENGTH || subject.chars().anyMatch(Character::isISOControl)) {
            throw new Invalid("subject", "must be at most 255 characters without control characters");
        }
        return subject;
    }

    private static String organization(JsonNode value) throws Invalid {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString() || !Ids.isValid(value.asString(), Ids.ORGANIZATION_PREFIX)) {
            throw new Invalid("organization_id", "must be an organization id (org_ and a ULID)");
        }
        return value.asString();
    }

    private static List<String> roles(JsonNode body) throws Invalid {
        JsonNode value = body.get("roles");
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new Invalid("roles", "must be an array of role names");
        }
        Set<String> roles = new LinkedHashSet<>();
        for (JsonNode role : value) {
            if (!role.isString() || !DevSignIn.ROLES.contains(role.asString())) {
                throw new Invalid("roles", "unknown role " + describe(role) + "; known: " + sorted());
            }
            roles.add(role.asString());
        }
        return List.copyOf(roles);
    }

    private static String describe(JsonNode role) {
        String text = role.isString() ? role.asString() : role.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static List<String> sorted() {
        List<String> names = new ArrayList<>(DevSignIn.ROLES);
        names.sort(null);
        return names;
    }
}
