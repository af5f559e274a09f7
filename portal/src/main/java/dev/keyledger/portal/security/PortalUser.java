package dev.keyledger.portal.security;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The signed-in user as the portal sees them: the ID token's subject, organization and roles. The
 * APIs decide on every call from the access token; these only choose which controls a page shows.
 *
 * @param organizationId {@code null} for a platform admin without an organization
 */
public record PortalUser(String subject, String organizationId, Set<String> roles) {

    public static final String PLATFORM_ADMIN = "platform_admin";
    public static final String ORG_ADMIN = "org_admin";

    public PortalUser {
        roles = Set.copyOf(roles);
    }

    public static PortalUser of(String subject, Object organization, Object rolesClaim) {
        String organizationId = organization instanceof String id && !id.isBlank() ? id : null;
        return new PortalUser(subject, organizationId, roles(rolesClaim));
    }

    public boolean platformAdmin() {
        return roles.contains(PLATFORM_ADMIN);
    }

    /** True when the user may create, roll and revoke keys and databases of {@code organizationId}. */
    public boolean canManage(String organizationId) {
        return roles.contains(ORG_ADMIN) && Objects.equals(this.organizationId, organizationId);
    }

    /** The organization the portal opens first; {@code null} for a platform admin without one. */
    public String homeOrganization() {
        return organizationId;
    }

    private static Set<String> roles(Object claim) {
        if (claim instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).collect(Collectors.toSet());
        }
        if (claim instanceof String value) {
            return Set.copyOf(List.of(value.trim().split("[ ,]+")));
        }
        return Set.of();
    }
}
