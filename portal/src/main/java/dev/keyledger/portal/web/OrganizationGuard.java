package dev.keyledger.portal.web;

import dev.keyledger.portal.PortalProperties;
import dev.keyledger.portal.api.ApiException;
import dev.keyledger.portal.security.PortalUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The portal's own early refusal of another organization's URL, and of the pages that change
 * something for a user who may not. The APIs enforce the same on every call; this guard also covers
 * the pages that call no API before showing a form, so they answer 403 rather than an empty form.
 */
@Configuration(proxyBeanMethods = false)
class OrganizationGuard implements WebMvcConfigurer {

    /** Pages that only an org admin of the organization may open (forms and confirmations). */
    private static final List<String> MANAGING = List.of("/new", "/roll", "/revoke");

    private final PortalProperties properties;

    OrganizationGuard(PortalProperties properties) {
        this.properties = properties;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
                    @Override
                    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                        check(request);
                        return true;
                    }
                })
                .addPathPatterns("/organizations/*", "/organizations/*/**")
                .excludePathPatterns("/organizations/new");
    }

    private void check(HttpServletRequest request) {
        if (!(SecurityContextHolder.getContext().getAuthentication() != null
                && SecurityContextHolder.getContext().getAuthentication().getPrincipal() instanceof OidcUser oidc)) {
            return;
        }
        PortalUser user = PortalUser.of(
                oidc.getSubject(),
                oidc.getClaims().get(properties.organizationClaim()),
                oidc.getClaims().get(properties.rolesClaim()));
        @SuppressWarnings("unchecked")
        Map<String, String> variables =
                (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String org = variables == null ? null : variables.get("org");
        if (org == null) {
            return;
        }
        if (!user.platformAdmin() && !org.equals(user.organizationId())) {
            throw new ApiException(403, "INSUFFICIENT_PERMISSIONS", "Not allowed for this organization", List.of());
        }
        boolean managing = "GET".equals(request.getMethod())
                && MANAGING.stream().anyMatch(request.getRequestURI()::endsWith)
                && !request.getRequestURI().equals("/organizations/new");
        if (managing && !user.canManage(org)) {
            throw new ApiException(403, "INSUFFICIENT_PERMISSIONS", "Only an org admin may change this", List.of());
        }
    }
}
