package dev.keyledger.query.security;

import dev.keyledger.query.web.ApiException;
import dev.keyledger.servicekit.security.CallerClaims;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Organization scoping of every read: a platform admin reads everything; an org member or org admin
 * reads only the organization named in its token. Roles and organization are read through the
 * service kit's {@link CallerClaims}, as the command-service reads them.
 */
@Component
public class OrganizationAccess {

    private final CallerClaims claims;

    OrganizationAccess(CallerClaims claims) {
        this.claims = claims;
    }

    /** Throws a 403 unless the current caller may read {@code organizationId}. */
    public void requireRead(String organizationId) {
        Jwt jwt = currentToken();
        Set<String> roles = claims.roles(jwt);
        if (roles.contains(CallerClaims.PLATFORM_ADMIN)) {
            return;
        }
        boolean member = roles.contains(CallerClaims.ORG_MEMBER) || roles.contains(CallerClaims.ORG_ADMIN);
        String claimed = claims.organization(jwt);
        if (!member || claimed == null || !claimed.equals(organizationId)) {
            throw ApiException.forbidden("Not allowed for this organization");
        }
    }

    /**
     * Throws a 403 unless the current caller is an org admin of {@code organizationId} or a platform
     * admin (the signed audit export).
     */
    public void requireAdmin(String organizationId) {
        Jwt jwt = currentToken();
        Set<String> roles = claims.roles(jwt);
        if (roles.contains(CallerClaims.PLATFORM_ADMIN)) {
            return;
        }
        String claimed = claims.organization(jwt);
        if (!roles.contains(CallerClaims.ORG_ADMIN) || claimed == null || !claimed.equals(organizationId)) {
            throw ApiException.forbidden("The org_admin role of this organization is required");
        }
    }

    /** Throws a 403 unless the current caller is a platform admin (operator calls such as a rebuild). */
    public void requirePlatformAdmin() {
        if (!claims.roles(currentToken()).contains(CallerClaims.PLATFORM_ADMIN)) {
            throw ApiException.forbidden("The platform_admin role is required");
        }
    }

    private static Jwt currentToken() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof Jwt jwt)) {
            throw ApiException.forbidden("Not allowed for this organization");
        }
        return jwt;
    }
}
