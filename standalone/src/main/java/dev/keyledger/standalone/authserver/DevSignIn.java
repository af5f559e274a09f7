package dev.keyledger.standalone.authserver;

import dev.keyledger.contracts.id.Ids;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.security.authentication.AuthenticationDetailsSource;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The development sign-in: the form's {@code subject} arrives as the user name, and the
 * organization and role ride along as authentication details. Every well-formed combination is
 * accepted; there is no password, which is why the provider binds to loopback only.
 */
final class DevSignIn implements AuthenticationProvider {

    static final Set<String> ROLES = Set.of("platform_admin", "org_admin", "org_member");
    static final int MAX_SUBJECT_LENGTH = 255;

    /** What the form carried besides the subject. */
    record Details(String organizationId, String role) {}

    static final AuthenticationDetailsSource<HttpServletRequest, Details> DETAILS =
            request -> new Details(request.getParameter("organization_id"), request.getParameter("role"));

    @Override
    public Authentication authenticate(Authentication authentication) {
        String subject = String.valueOf(authentication.getPrincipal()).strip();
        if (subject.isEmpty()
                || subject.length() > MAX_SUBJECT_LENGTH
                || subject.chars().anyMatch(Character::isISOControl)) {
            throw new BadCredentialsException("Subject must be 1 to 255 characters without control characters.");
        }
        Details details = authentication.getDetails() instanceof Details given ? given : new Details(null, null);
        String role = details.role() == null ? "" : details.role().strip();
        if (!ROLES.contains(role)) {
            throw new BadCredentialsException("Role must be platform_admin, org_admin or org_member.");
        }
        String organization =
                details.organizationId() == null ? "" : details.organizationId().strip();
        if (!organization.isEmpty() && !Ids.isValid(organization, Ids.ORGANIZATION_PREFIX)) {
            throw new BadCredentialsException("Organization ID must be an organization id (org_ and a ULID).");
        }
        if (organization.isEmpty() && !role.equals("platform_admin")) {
            throw new BadCredentialsException("Organization ID is required for org_admin and org_member.");
        }
        DevUser user = new DevUser(subject, organization.isEmpty() ? null : organization, List.of(role));
        UsernamePasswordAuthenticationToken signedIn = UsernamePasswordAuthenticationToken.authenticated(
                user,
                null,
                List.of(
                        new SimpleGrantedAuthority("ROLE_" + role),
                        // The sign-in time, which the ID token's auth_time is read from.
                        FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY)
                                .issuedAt(Instant.now())
                                .build()));
        signedIn.setDetails(details);
        return signedIn;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
