package dev.keyledger.command.security;

import dev.keyledger.servicekit.security.CallerClaims;
import dev.keyledger.servicekit.security.ServiceSecurityConfiguration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The resource server, the management-port rules, the {@code X-API-Key} refusal and the error JSON
 * of refusals are the service kit's, shared with the query-service; this service adds only the
 * {@link Caller} its controllers receive.
 */
@Configuration(proxyBeanMethods = false)
@Import(ServiceSecurityConfiguration.class)
class SecurityConfiguration {

    @Bean
    WebMvcConfigurer callerArgumentResolver(CallerClaims claims) {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CallerArgumentResolver(claims));
            }
        };
    }
}
