package dev.keyledger.servicekit.securitylog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.securitylog.RefusalReason;
import dev.keyledger.contracts.securitylog.SecurityRefusal;
import dev.keyledger.servicekit.security.CallerClaims;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * What the recorder makes of a refused call: only verified subjects, bounded and parsed values, the
 * route template instead of the path, a reason for every refusal, and never a wait when the queue is
 * full.
 */
class RefusalRecorderTest {

    private static final Instant NOW = Instant.parse("2026-12-02T03:00:00Z");
    private static final String ORG = "org_01JH0000000000000000000001";
    private static final String OTHER_ORG = "org_01JH0000000000000000000002";
    private static final String ROUTE = "/api/v1/organizations/{organizationId}/api-keys";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CallerClaims claims = new CallerClaims("organization_id", "roles");

    @Test
    void aMissingTokenIsRecordedWithTheRouteTemplateAndNoSubject() throws Exception {
        SecurityLog log = log(10);
        MockHttpServletRequest request = request("GET", "/api/v1/organizations/" + ORG + "/api-keys");

        run(recorder(log, false), request, refuse(401, RefusalReason.MISSING_TOKEN));

        SecurityRefusal refusal = single(log);
        assertThat(refusal.status()).isEqualTo(401);
        assertThat(refusal.reason()).isEqualTo("missing_token");
        assertThat(refusal.route()).isEqualTo(ROUTE);
        assertThat(refusal.method()).isEqualTo("GET");
        assertThat(refusal.subject()).isNull();
        assertThat(refusal.ip()).isEqualTo("192.0.2.10");
        assertThat(refusal.organizationId()).isEqualTo(ORG);
        assertThat(refusal.service()).isEqualTo("test-service");
        assertThat(refusal.occurredAt()).isEqualTo(NOW);
        assertThat(counted("401", "missing_token")).isEqualTo(1);
    }

    @Test
    void aVerifiedCallerOfAnotherOrganizationIsAnOrganizationMismatchWithItsSubject() throws Exception {
        SecurityLog log = log(10);
        MockHttpServletRequest request = request("POST", "/api/v1/organizations/" + ORG + "/api-keys");
        authenticate(request, jwt("mallory", OTHER_ORG, "org_admin"));

        run(recorder(log, false), request, refuse(403, null));

        SecurityRefusal refusal = single(log);
        assertThat(refusal.reason()).isEqualTo("organization_mismatch");
        assertThat(refusal.subject()).isEqualTo("mallory");
        assertThat(refusal.organizationId()).isEqualTo(ORG);
    }

    @Test
    void aVerifiedCallerOfTheOrganizationWithoutTheRoleIsRoleRequired() throws Exception {
        SecurityLog log = log(10);
        MockHttpServletRequest request = request("POST", "/api/v1/organizations/" + ORG + "/api-keys");
        authenticate(request, jwt("bob", ORG, "org_member"));

        run(recorder(log, false), request, refuse(403, null));

        assertThat(single(log).reason()).isEqualTo("role_required");
    }

    @Test
    void withoutAnOrganizationInThePathTheVerifiedTokensOrganizationIsRecorded() throws Exception {
        SecurityLog log = log(10);
        MockHttpServletRequest request = request("GET", "/api/v1/security-log");
        authenticate(request, jwt("bob", ORG, "org_admin"));

        run(
                recorder(log, false, req -> new RouteTemplates.Match("/api/v1/security-log", Map.of())),
                request,
                refuse(403, null));

        SecurityRefusal refusal = single(log);
        assertThat(refusal.organizationId()).isEqualTo(ORG);
        assertThat(refusal.reason()).isEqualTo("role_required");
    }

    @Test
    void answersOtherThan401And403AreNotRecorded() throws Exception {
        SecurityLog log = log(10);

        run(recorder(log, false), request("GET", "/api/v1/organizations/" + ORG + "/api-keys"), refuse(404, null));
        run(recorder(log, false), request("GET", "/api/v1/organizations/" + ORG + "/api-keys"), refuse(200, null));

        assertThat(log.queued()).isZero();
    }

    @Test
    void hostileValuesAreBoundedOrDropped() throws Exception {
        SecurityLog log = log(10);
        MockHttpServletRequest request = new MockHttpServletRequest("BREW", "/api/v1/organizations/org_%2E%2E/x");
        request.setRemoteAddr("not-an-address");
        request.addHeader("X-Forwarded-For", "198.51.100.7");
        authenticate(request, jwt("s".repeat(300) + "\u0007", "org_bad id", "org_admin"));

        run(
                recorder(log, false, req -> new RouteTemplates.Match(ROUTE, Map.of("organizationId", "org_../x"))),
                request,
                refuse(403, null));

        SecurityRefusal refusal = single(log);
        assertThat(refusal.method()).isEqualTo("OTHER");
        assertThat(refusal.ip()).as("X-Forwarded-For is not trusted by default").isNull();
        assertThat(refusal.subject()).hasSize(SecurityRefusal.MAX_SUBJECT_LENGTH);
        assertThat(refusal.organizationId()).isNull();
        assertThat(refusal.reason()).isEqualTo("role_required");
    }

    @Test
    void theFirstForwardedForEntryIsTheAddressWhereItIsTrusted() throws Exception {
        SecurityLog log = log(10);
        MockHttpServletRequest request = request("GET", "/api/v1/organizations/" + ORG + "/api-keys");
        request.addHeader("X-Forwarded-For", "2001:db8::7, 10.0.0.1");

        run(recorder(log, true), request, refuse(401, RefusalReason.INVALID_TOKEN));

        assertThat(single(log).ip()).isEqualTo("2001:db8::7");
    }

    @Test
    void aNotedReasonOfAnotherStatusIsNotTrusted() throws Exception {
        SecurityLog log = log(10);

        run(
                recorder(log, false),
                request("GET", "/api/v1/organizations/" + ORG + "/api-keys"),
                refuse(401, RefusalReason.API_KEY_PRESENTED));

        assertThat(single(log).reason()).isEqualTo("unauthorized");
    }

    @Test
    void aFloodBeyondTheQueueIsDroppedAndCountedWithoutWaiting() throws Exception {
        SecurityLog log = log(100);
        RefusalRecorder recorder = recorder(log, false);

        for (int i = 0; i < 10_000; i++) {
            run(
                    recorder,
                    request("GET", "/api/v1/organizations/" + ORG + "/api-keys"),
                    refuse(401, RefusalReason.MISSING_TOKEN));
        }

        assertThat(log.queued()).isEqualTo(100);
        assertThat(registry.get(SecurityLog.DROPPED)
                        .tag("cause", "queue_full")
                        .counter()
                        .count())
                .isEqualTo(9_900);
        assertThat(counted("401", "missing_token")).isEqualTo(10_000);
    }

    @Test
    void whenDisabledRefusalsAreCountedButNotQueued() throws Exception {
        SecurityLog log = new SecurityLog(
                "test-service",
                new SecurityLogSettings(false, 10, Duration.ofSeconds(1), Duration.ofSeconds(30)),
                registry);

        run(
                recorder(log, false),
                request("GET", "/api/v1/organizations/" + ORG + "/api-keys"),
                refuse(401, RefusalReason.MISSING_TOKEN));

        assertThat(log.queued()).isZero();
        assertThat(counted("401", "missing_token")).isEqualTo(1);
    }

    private SecurityLog log(int capacity) {
        return new SecurityLog(
                "test-service",
                new SecurityLogSettings(true, capacity, Duration.ofSeconds(1), Duration.ofSeconds(30)),
                registry);
    }

    private RefusalRecorder recorder(SecurityLog log, boolean trustForwardedFor) {
        return recorder(log, trustForwardedFor, req -> new RouteTemplates.Match(ROUTE, Map.of("organizationId", ORG)));
    }

    private RefusalRecorder recorder(
            SecurityLog log,
            boolean trustForwardedFor,
            java.util.function.Function<jakarta.servlet.http.HttpServletRequest, RouteTemplates.Match> routes) {
        return new RefusalRecorder(log, routes, claims, trustForwardedFor, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static MockHttpServletRequest request(String method, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setRemoteAddr("192.0.2.10");
        return request;
    }

    private static void authenticate(MockHttpServletRequest request, Jwt jwt) {
        request.setAttribute(
                RequestAttributeSecurityContextRepository.DEFAULT_REQUEST_ATTR_NAME,
                new SecurityContextImpl(new JwtAuthenticationToken(jwt, List.of())));
    }

    private static Jwt jwt(String subject, String organization, String role) {
        return Jwt.withTokenValue("token")
                .header("alg", "RS256")
                .subject(subject)
                .claim("organization_id", organization)
                .claim("roles", List.of(role))
                .build();
    }

    /** The rest of the chain: answers {@code status}, noting {@code reason} as the refusing code would. */
    private static MockFilterChain refuse(int status, RefusalReason reason) {
        return new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response) {
                if (reason != null) {
                    RefusalReasons.note(request, reason);
                }
                response.setStatus(status);
            }
        });
    }

    private static void run(RefusalRecorder recorder, MockHttpServletRequest request, MockFilterChain chain)
            throws Exception {
        recorder.doFilter(request, new MockHttpServletResponse(), chain);
    }

    private static SecurityRefusal single(SecurityLog log) throws InterruptedException {
        List<SecurityRefusal> drained = new ArrayList<>();
        log.drain(drained, 10, Duration.ZERO);
        assertThat(drained).hasSize(1);
        return drained.getFirst();
    }

    private double counted(String status, String reason) {
        return registry.get("keyledger_security_refusals")
                .tag("status", status)
                .tag("reason", reason)
                .counter()
                .count();
    }
}
