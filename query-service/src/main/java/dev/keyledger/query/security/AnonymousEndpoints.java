package dev.keyledger.query.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Read-API paths anyone may call, ahead of the service kit's authenticated chain: the public keys
 * of audit checkpoints, which an auditor verifies an export with. Another method on the path is
 * the MVC layer's 405.
 */
@Configuration(proxyBeanMethods = false)
class AnonymousEndpoints {

    static final String AUDIT_SIGNING_KEYS = "/api/v1/audit/signing-keys";

    @Bean
    @Order(0)
    SecurityFilterChain anonymousReadChain(HttpSecurity http) throws Exception {
        http.securityMatcher(AUDIT_SIGNING_KEYS)
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(HttpMethod.GET, AUDIT_SIGNING_KEYS)
                        .permitAll()
                        .anyRequest()
                        .permitAll())
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }
}
