package dev.keyledger.portal;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The portal's settings, under {@code keyledger.portal}.
 *
 * @param commandUrl the command-service (management API)
 * @param queryUrl the query-service (read API)
 * @param baseUrl the address users open; requests for another host or port are redirected there,
 *     so the session cookie and the OAuth2 redirect URI always belong to one origin
 * @param registrationId the {@code spring.security.oauth2.client.registration} entry used to sign in
 * @param organizationClaim the ID-token claim holding the user's organization id
 * @param rolesClaim the ID-token claim holding the user's roles (a list or a space-separated string)
 * @param pageSize rows per page of a list
 * @param rotationAge the age from which a key carries the {@code rotation due} badge
 * @param readYourWritesTimeout how long a page waits, after a change, for the read side to show it
 * @param apiTimeout how long one call to an API may take
 * @param edgeUrl the edge address shown in the embed snippet of public keys
 */
@ConfigurationProperties("keyledger.portal")
public record PortalProperties(
        @DefaultValue("http://127.0.0.1:8081") URI commandUrl,
        @DefaultValue("http://127.0.0.1:8082") URI queryUrl,
        URI baseUrl,
        @DefaultValue("keyledger") String registrationId,
        @DefaultValue("organization_id") String organizationClaim,
        @DefaultValue("roles") String rolesClaim,
        @DefaultValue("50") int pageSize,
        @DefaultValue("90d") Duration rotationAge,
        @DefaultValue("3s") Duration readYourWritesTimeout,
        @DefaultValue("10s") Duration apiTimeout,
        @DefaultValue("http://127.0.0.1:8080") URI edgeUrl) {}
