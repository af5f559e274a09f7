package dev.keyledger.servicekit.securitylog;

import dev.keyledger.contracts.securitylog.SecurityRefusal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.server.PathContainer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The route template a request path matches among the service's own request mappings (such as
 * {@code /api/v1/organizations/{organizationId}/api-keys}), so the security log records the
 * service's bounded set of routes and never the path an attacker chose. The templates are read once,
 * on the first refusal (the mappings are complete by then), and tried most specific first; a path
 * that matches none is {@link SecurityRefusal#UNMATCHED_ROUTE}. Thread safe.
 */
final class RouteTemplates {

    /** A route and the values of its path variables in this request (not yet checked: bound them). */
    record Match(String template, Map<String, String> variables) {

        static final Match UNMATCHED = new Match(SecurityRefusal.UNMATCHED_ROUTE, Map.of());
    }

    private final ObjectProvider<RequestMappingHandlerMapping> mappings;
    private volatile List<PathPattern> patterns;

    RouteTemplates(ObjectProvider<RequestMappingHandlerMapping> mappings) {
        this.mappings = mappings;
    }

    Match match(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath();
        if (uri == null) {
            return Match.UNMATCHED;
        }
        if (contextPath != null && !contextPath.isEmpty() && uri.startsWith(contextPath)) {
            uri = uri.substring(contextPath.length());
        }
        PathContainer path;
        try {
            path = PathContainer.parsePath(uri);
        } catch (IllegalArgumentException e) {
            return Match.UNMATCHED;
        }
        for (PathPattern pattern : patterns()) {
            PathPattern.PathMatchInfo info = pattern.matchAndExtract(path);
            if (info != null) {
                return new Match(pattern.getPatternString(), info.getUriVariables());
            }
        }
        return Match.UNMATCHED;
    }

    private List<PathPattern> patterns() {
        List<PathPattern> current = patterns;
        if (current == null) {
            TreeSet<String> templates = new TreeSet<>();
            mappings.orderedStream()
                    .forEach(mapping -> mapping.getHandlerMethods()
                            .keySet()
                            .forEach(info -> templates.addAll(info.getPatternValues())));
            List<PathPattern> parsed = new ArrayList<>();
            for (String template : templates) {
                if (template.length() <= SecurityRefusal.MAX_ROUTE_LENGTH) {
                    parsed.add(PathPatternParser.defaultInstance.parse(template));
                }
            }
            parsed.sort(PathPattern.SPECIFICITY_COMPARATOR);
            current = List.copyOf(parsed);
            patterns = current;
        }
        return current;
    }
}
