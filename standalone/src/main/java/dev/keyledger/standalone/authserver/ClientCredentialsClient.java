package dev.keyledger.standalone.authserver;

import dev.keyledger.contracts.id.Ids;
import java.util.List;

/**
 * A client that signs in without a user, with the OAuth 2.0 client-credentials grant: scripts and
 * the operator CLI ({@code keyledger auth token}). Its access tokens carry these {@code roles}
 * and {@code organization_id}, the claims the services read, and the APIs' audience; the subject
 * is the client id. It exists only when configured: there is no default secret.
 *
 * @param clientId the client id, 1 to 100 letters, digits, {@code .}, {@code _} or {@code -}
 * @param clientSecret its secret, at least 16 characters
 * @param roles the roles its tokens carry ({@code platform_admin}, {@code org_admin}, {@code org_member})
 * @param organizationId the organization of its tokens; required for {@code org_admin} and
 *     {@code org_member}, {@code null} for a {@code platform_admin} only
 */
public record ClientCredentialsClient(String clientId, String clientSecret, List<String> roles, String organizationId) {

    public ClientCredentialsClient {
        if (clientId == null || !clientId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException(
                    "a client-credentials client id is 1 to 100 letters, digits, '.', '_' or '-'");
        }
        if (clientId.equals(AuthorizationServer.PORTAL_CLIENT_ID)) {
            throw new IllegalArgumentException("the client id 'portal' is the portal's");
        }
        if (clientSecret == null
                || clientSecret.length() < 16
                || clientSecret.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(
                    "the secret of client " + clientId + " must be at least 16 characters without control characters");
        }
        roles = roles == null || roles.isEmpty() ? List.of("platform_admin") : List.copyOf(roles);
        for (String role : roles) {
            if (!DevSignIn.ROLES.contains(role)) {
                throw new IllegalArgumentException("client " + clientId + ": unknown role " + role);
            }
        }
        if (organizationId != null && organizationId.isBlank()) {
            organizationId = null;
        }
        if (organizationId != null && !Ids.isValid(organizationId, Ids.ORGANIZATION_PREFIX)) {
            throw new IllegalArgumentException("client " + clientId + ": organization-id must be an organization id");
        }
        if (organizationId == null && !roles.equals(List.of("platform_admin"))) {
            throw new IllegalArgumentException(
                    "client " + clientId + ": the roles org_admin and org_member need an organization-id");
        }
    }

    @Override
    public String toString() {
        // Never the secret: settings are logged when a start fails.
        return "ClientCredentialsClient[clientId=" + clientId + ", roles=" + roles + ", organizationId="
                + organizationId + "]";
    }
}
