package dev.keyledger.standalone.authserver;

import java.util.List;
import org.springframework.security.core.AuthenticatedPrincipal;

/**
 * Whoever signed in on the development sign-in page, exactly as typed: any subject, an optional
 * organization and one role. Its name is the subject, which becomes the tokens' {@code sub}.
 *
 * @param organizationId {@code null} for a platform admin without an organization
 */
record DevUser(String subject, String organizationId, List<String> roles) implements AuthenticatedPrincipal {

    DevUser {
        roles = List.copyOf(roles);
    }

    @Override
    public String getName() {
        return subject;
    }
}
