package dev.keyledger.query.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyledger.query.web.ApiException;
import dev.keyledger.servicekit.security.CallerClaims;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

class OrganizationAccessTest {

    private final OrganizationAccess access = new OrganizationAccess(new CallerClaims("organization_id", "roles"));

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    private static void authenticate(String organization, Object roles) {
        Jwt.Builder jwt = Jwt.withTokenValue("t")
                .header("alg", "RS256")
                .subject("alice")
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(60))
                .claim("roles", roles);
        if (organization != null) {
            jwt.claim("organization_id", organization);
        }
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt.build()));
    }

    @Test
    void membersAndAdminsReadTheirOwnOrganization() {
        authenticate("org_a", List.of("org_member"));
        assertThatCode(() -> access.requireRead("org_a")).doesNotThrowAnyException();
        authenticate("org_a", "org_admin");
        assertThatCode(() -> access.requireRead("org_a")).doesNotThrowAnyException();
    }

    @Test
    void aPlatformAdminReadsEveryOrganization() {
        authenticate(null, List.of("platform_admin"));
        assertThatCode(() -> access.requireRead("org_z")).doesNotThrowAnyException();
    }

    @Test
    void anotherOrganizationOrNoRoleIsForbidden() {
        authenticate("org_a", List.of("org_admin"));
        assertThatThrownBy(() -> access.requireRead("org_b")).isInstanceOf(ApiException.class);
        authenticate("org_a", List.of());
        assertThatThrownBy(() -> access.requireRead("org_a")).isInstanceOf(ApiException.class);
        authenticate(null, List.of("org_member"));
        assertThatThrownBy(() -> access.requireRead("org_a")).isInstanceOf(ApiException.class);
    }
}
