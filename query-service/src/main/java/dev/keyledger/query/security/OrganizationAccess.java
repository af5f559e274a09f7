package dev.keyledger.query.security;

import dev.keyledger.query.web.ApiException;
import java.util.Collection;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Organization scoping of every read: a platform admin reads everything; an org member or org admin
 * reads only the organization named in its token.
 */
@Component
public class OrganizationAccess {

    private final SecurityProperties properties;

    OrganizationAccess(SecurityProperties properties) {
        this.properties = properties;
    }

    /** Throws a 403 unless the current caller may read {@code organizationId}. */
    public void requireRead(String organizationId) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof Jwt jwt)) {
            throw ApiException.forbidden("Not allowed for this organization");
        }
        List<String> roles = roles(jwt);
        if (roles.contains("platform_admin")) {
            return;
        }
        boolean member = roles.contains("org_member") || roles.contains("org_admin");
        String claimed = jwt.getClaimAsString(properties.organizationClaim());
        if (!member || claimed == null || !claimed.equals(organizationId)) {
            throw ApiException.forbidden("Not allowed for this organization");
        }
    }

    private List<String> roles(Jwt jwt) {
        Object claim = jwt.getClaim(properties.rolesClaim());
        if (claim instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        if (claim instanceof String value) {
            return List.of(value.split("[ ,]+"));
        }
        return List.of();
    }
}
