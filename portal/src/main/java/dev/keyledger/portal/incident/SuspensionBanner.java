package dev.keyledger.portal.incident;

import dev.keyledger.portal.api.ApiException;
import dev.keyledger.portal.api.Models.Organization;
import dev.keyledger.portal.api.QueryApi;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Puts the suspension of the organization a page belongs to into the model as {@code suspension}
 * (null when it is active), so that the layout shows everyone reading a suspended organization why
 * its keys are refused. Only for pages (GET) of one organization; a refusal or an outage of the read
 * API leaves the banner out and the page answers as it would anyway.
 */
@ControllerAdvice
class SuspensionBanner {

    private final QueryApi queries;

    SuspensionBanner(QueryApi queries) {
        this.queries = queries;
    }

    @ModelAttribute("suspension")
    Organization suspension(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod())) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> variables =
                (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String org = variables == null ? null : variables.get("org");
        if (org == null) {
            return null;
        }
        try {
            Organization organization = queries.organization(org);
            return organization != null && organization.suspended() ? organization : null;
        } catch (ApiException | org.springframework.web.client.RestClientException unavailable) {
            return null;
        }
    }
}
