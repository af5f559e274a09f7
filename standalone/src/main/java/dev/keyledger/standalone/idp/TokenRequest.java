package dev.keyledger.standalone.idp;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.standalone.http.JsonHttpServer;
import dev.keyledger.standalone.http.JsonHttpServer.RequestException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated {@code POST /dev/token} body.
 *
 * @param organizationId {@code null} when the token is for no organization (a platform admin)
 */
record TokenRequest(String subject, String organizationId, List<String> roles) {

    static final Set<String> ROLES = Set.of("platform_admin", "org_admin", "org_member");

    private static final Set<String> FIELDS = Set.of("subject", "organization_id", "roles");
    private static final int MAX_SUBJECT_LENGTH = 255;

    static TokenRequest parse(String json) throws RequestException {
        Map<String, Object> body;
        try {
            body = JSONObjectUtils.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw JsonHttpServer.validation("body", "must be a JSON object");
        }
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field)) {
                throw JsonHttpServer.validation(field, "unknown field");
            }
        }
        return new TokenRequest(subject(body.get("subject")), organization(body.get("organization_id")), roles(body));
    }

    private static String subject(Object value) throws RequestException {
        if (!(value instanceof String subject) || subject.isBlank()) {
            throw JsonHttpServer.validation("subject", "is required and must be a non-blank string");
        }
        if (subject.length() > MAX_SUBJECT_LENGTH || subject.chars().anyMatch(Character::isISOControl)) {
            throw JsonHttpServer.validation("subject", "must be at most 255 characters without control characters");
        }
        return subject;
    }

    private static String organization(Object value) throws RequestException {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String id) || !Ids.isValid(id, Ids.ORGANIZATION_PREFIX)) {
            throw JsonHttpServer.validation("organization_id", "must be an organization id (org_ and a ULID)");
        }
        return id;
    }

    private static List<String> roles(Map<String, Object> body) throws RequestException {
        Object value = body.get("roles");
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw JsonHttpServer.validation("roles", "must be an array of role names");
        }
        Set<String> roles = new LinkedHashSet<>();
        for (Object role : list) {
            if (!(role instanceof String name) || !ROLES.contains(name)) {
                throw JsonHttpServer.validation("roles", "unknown role " + describe(role) + "; known: " + sorted());
            }
            roles.add(name);
        }
        return List.copyOf(roles);
    }

    private static String describe(Object role) {
        String text = String.valueOf(role);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static List<String> sorted() {
        List<String> names = new ArrayList<>(ROLES);
        names.sort(null);
        return names;
    }
}
