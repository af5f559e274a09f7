package dev.keyledger.servicekit.securitylog;

import dev.keyledger.contracts.securitylog.RefusalReason;
import dev.keyledger.contracts.securitylog.SecurityRefusal;
import dev.keyledger.servicekit.security.CallerClaims;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first filter of each security chain: after the rest of the chain, the controller and the
 * exception handlers have answered, a 401 or 403 becomes a {@link SecurityRefusal} for the {@link
 * SecurityLog}. Everything is taken from what the service already verified and bounded on the way in,
 * once: the subject only from a verified token (the bearer filter keeps the security context as a
 * request attribute after the chain has cleared its holder), the route as the template the path
 * matched, the organization from the route's {@code organizationId} or else the verified token, each
 * a well-formed id or nothing. The work happens only for refused calls and never blocks (a full queue
 * drops). Thread safe.
 */
public final class RefusalRecorder extends OncePerRequestFilter {

    /** The path variable that names the organization a call is about, in both APIs. */
    static final String ORGANIZATION_VARIABLE = "organizationId";

    private final SecurityLog log;
    private final Function<HttpServletRequest, RouteTemplates.Match> routes;
    private final CallerClaims claims;
    private final boolean trustForwardedFor;
    private final Clock clock;

    RefusalRecorder(
            SecurityLog log,
            Function<HttpServletRequest, RouteTemplates.Match> routes,
            CallerClaims claims,
            boolean trustForwardedFor,
            Clock clock) {
        this.log = log;
        this.routes = routes;
        this.claims = claims;
        this.trustForwardedFor = trustForwardedFor;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, response);
        int status = response.getStatus();
        if (status == HttpServletResponse.SC_UNAUTHORIZED || status == HttpServletResponse.SC_FORBIDDEN) {
            record(request, status);
        }
    }

    private void record(HttpServletRequest request, int status) {
        RouteTemplates.Match route = routes.apply(request);
        Jwt caller = status == HttpServletResponse.SC_FORBIDDEN ? verifiedCaller(request) : null;
        String pathOrganization = route.variables().get(ORGANIZATION_VARIABLE);
        if (!SecurityRefusal.wellFormedOrganizationId(pathOrganization)) {
            pathOrganization = null;
        }
        String callerOrganization = caller == null ? null : claims.organization(caller);
        if (!SecurityRefusal.wellFormedOrganizationId(callerOrganization)) {
            callerOrganization = null;
        }
        RefusalReason reason = reason(request, status, caller, pathOrganization, callerOrganization);
        SecurityRefusal refusal = new SecurityRefusal(
                UUID.randomUUID(),
                clock.instant(),
                log.service(),
                status,
                reason.wireName(),
                method(request.getMethod()),
                route.template(),
                caller == null ? null : subject(caller.getSubject()),
                ClientAddress.of(request, trustForwardedFor),
                pathOrganization != null ? pathOrganization : callerOrganization);
        log.record(refusal, reason);
    }

    private RefusalReason reason(
            HttpServletRequest request, int status, Jwt caller, String pathOrganization, String callerOrganization) {
        RefusalReason noted = RefusalReasons.noted(request);
        if (noted != null && noted.status() == status) {
            return noted;
        }
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            return RefusalReason.UNAUTHORIZED;
        }
        // A controller refused a verified caller: another organization than its own, or the role.
        if (caller != null
                && pathOrganization != null
                && !claims.roles(caller).contains(CallerClaims.PLATFORM_ADMIN)
                && !pathOrganization.equals(callerOrganization)) {
            return RefusalReason.ORGANIZATION_MISMATCH;
        }
        return RefusalReason.ROLE_REQUIRED;
    }

    private static Jwt verifiedCaller(HttpServletRequest request) {
        if (request.getAttribute(RequestAttributeSecurityContextRepository.DEFAULT_REQUEST_ATTR_NAME)
                instanceof SecurityContext context) {
            Authentication authentication = context.getAuthentication();
            if (authentication != null
                    && authentication.isAuthenticated()
                    && authentication.getPrincipal() instanceof Jwt jwt) {
                return jwt;
            }
        }
        return null;
    }

    static String method(String method) {
        return method != null && SecurityRefusal.METHODS.contains(method) ? method : "OTHER";
    }

    /** The verified subject, cut to its bound (never inside a surrogate pair), control characters replaced. */
    static String subject(String subject) {
        if (subject == null || subject.isEmpty()) {
            return null;
        }
        int end = Math.min(subject.length(), SecurityRefusal.MAX_SUBJECT_LENGTH);
        if (end < subject.length() && Character.isHighSurrogate(subject.charAt(end - 1))) {
            end--;
        }
        StringBuilder bounded = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = subject.charAt(i);
            bounded.append(Character.isISOControl(c) ? '?' : c);
        }
        return bounded.toString();
    }
}
