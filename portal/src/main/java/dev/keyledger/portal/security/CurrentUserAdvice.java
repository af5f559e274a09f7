package dev.keyledger.portal.security;

import dev.keyledger.portal.PortalProperties;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Puts the signed-in user into every page's model as {@code user}. */
@ControllerAdvice
class CurrentUserAdvice {

    private final PortalProperties properties;

    CurrentUserAdvice(PortalProperties properties) {
        this.properties = properties;
    }

    @ModelAttribute("user")
    PortalUser user(@AuthenticationPrincipal OidcUser oidc) {
        if (oidc == null) {
            return null;
        }
        return PortalUser.of(
                oidc.getSubject(),
                oidc.getClaims().get(properties.organizationClaim()),
                oidc.getClaims().get(properties.rolesClaim()));
    }
}
