package dev.keyledger.query.security;

import dev.keyledger.servicekit.security.ServiceSecurityConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The resource server, the management-port rules, the {@code X-API-Key} refusal and the error JSON
 * of refusals are the service kit's, shared with the command-service; organization scoping of each
 * read is {@link OrganizationAccess}.
 */
@Configuration(proxyBeanMethods = false)
@Import(ServiceSecurityConfiguration.class)
class SecurityConfiguration {}
