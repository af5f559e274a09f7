package dev.keyledger.command.security;

import dev.keyledger.command.web.ForbiddenException;
import java.util.Objects;
import java.util.Set;

/**
 * The authenticated caller of a management call, from its JWT. A {@code platform_admin} may act on
 * every organization (operators and support need it); an {@code org_admin} only on its own.
 */
public record Caller(String subject, String organizationId, Set<String> roles) {

    public static final String PLATFORM_ADMIN = "platform_admin";
    public static final String ORG_ADMIN = "org_admin";

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean isPlatformAdmin() {
        return roles.contains(PLATFORM_ADMIN);
    }

    /** Organizations and plans are the platform operator's business. */
    public void requirePlatformAdmin() {
        if (!isPlatformAdmin()) {
            throw new ForbiddenException("The platform_admin role is required");
        }
    }

    /** Databases and keys of {@code organizationId}: its org_admin, or a platform admin. */
    public void requireOrgAdmin(String organizationId) {
        if (isPlatformAdmin()) {
            return;
        }
        if (!roles.contains(ORG_ADMIN) || !Objects.equals(this.organizationId, organizationId)) {
            throw new ForbiddenException("The org_admin role of this organization is required");
        }
    }
}
