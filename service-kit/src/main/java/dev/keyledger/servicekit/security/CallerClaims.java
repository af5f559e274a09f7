package dev.keyledger.servicekit.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Reads the organization and the roles of a caller from its token, under the claim names the
 * identity provider uses ({@link ResourceServerSettings}). Controllers of both services and the
 * filter chain's role checks read them here, so a role means the same thing everywhere.
 */
public final class CallerClaims {

    public static final String PLATFORM_ADMIN = "platform_admin";
    public static final String ORG_ADMIN = "org_admin";
    public static final String ORG_MEMBER = "org_member";

    private final String organizationClaim;
    private final String rolesClaim;

    public CallerClaims(String organizationClaim, String rolesClaim) {
        this.organizationClaim = organizationClaim;
        this.rolesClaim = rolesClaim;
    }

    /** The caller's organization id, or {@code null} when the token names none. */
    public String organization(Jwt jwt) {
        Object organization = jwt.getClaims().get(organizationClaim);
        return organization instanceof String id && !id.isBlank() ? id : null;
    }

    /** The caller's roles: a JSON list of strings, or one string separated by spaces or commas. */
    public Set<String> roles(Jwt jwt) {
        Object claim = jwt.getClaims().get(rolesClaim);
        Set<String> roles = new LinkedHashSet<>();
        if (claim instanceof Collection<?> values) {
            for (Object value : values) {
                if (value instanceof String role && !role.isBlank()) {
                    roles.add(role.trim());
                }
            }
        } else if (claim instanceof String value) {
            for (String role : value.trim().split("[\\s,]+")) {
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            }
        }
        return roles;
    }
}
