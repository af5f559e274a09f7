package dev.keyledger.portal.securitylog;

import dev.keyledger.portal.PortalProperties;
import dev.keyledger.portal.api.ApiException;
import dev.keyledger.portal.api.Models.CursorList;
import dev.keyledger.portal.api.Models.SecurityLogEntry;
import dev.keyledger.portal.api.QueryApi;
import dev.keyledger.portal.security.PortalUser;
import dev.keyledger.portal.web.CursorPage;
import dev.keyledger.portal.web.TimeFields;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.regex.Pattern;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The {@code Security log} page for platform admins: the refused calls of both APIs, newest first,
 * filtered by a range of UTC times and an organization, one page of the read API at a time. Anyone
 * else gets the {@code Access denied} page (the read API refuses them too).
 */
@Controller
class SecurityLogController {

    private static final Pattern ORGANIZATION_ID = Pattern.compile("org_[A-Za-z0-9]{1,60}");

    private final QueryApi queries;
    private final PortalProperties properties;

    SecurityLogController(QueryApi queries, PortalProperties properties) {
        this.queries = queries;
        this.properties = properties;
    }

    @GetMapping("/security-log")
    String securityLog(
            @ModelAttribute("user") PortalUser user,
            @RequestParam(defaultValue = "") String from,
            @RequestParam(defaultValue = "") String to,
            @RequestParam(name = "organization_id", defaultValue = "") String organizationId,
            @RequestParam(defaultValue = "1") int page,
            @RequestParam(required = false) String cursor,
            HttpServletResponse response,
            Model model) {
        if (user == null || !user.platformAdmin()) {
            response.setStatus(403);
            model.addAttribute("status", 403);
            return "denied";
        }
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        model.addAttribute("organizationId", organizationId);
        Instant start;
        Instant end;
        String organization = organizationId.strip();
        try {
            start = TimeFields.parse("From", from);
            end = TimeFields.parse("To", to);
            if (!organization.isEmpty()
                    && !ORGANIZATION_ID.matcher(organization).matches()) {
                throw new IllegalArgumentException("Organization ID must look like org_01JH...");
            }
        } catch (IllegalArgumentException e) {
            response.setStatus(400);
            model.addAttribute("error", e.getMessage());
            model.addAttribute("page", CursorPage.<SecurityLogEntry>none());
            return "security-log";
        }
        String position = CursorPage.cursor(cursor);
        CursorList<SecurityLogEntry> entries;
        try {
            entries = queries.securityLogPage(
                    start, end, organization.isEmpty() ? null : organization, properties.pageSize(), position);
        } catch (ApiException refusal) {
            if (refusal.status() != 400 || position == null) {
                throw refusal;
            }
            // A cursor of another filter, or edited: the first page of this one.
            return "redirect:"
                    + UriComponentsBuilder.fromPath("/security-log")
                            .queryParam("from", from)
                            .queryParam("to", to)
                            .queryParam("organization_id", organizationId)
                            .build()
                            .encode()
                            .toUriString();
        }
        model.addAttribute("page", CursorPage.of(entries.data(), page, entries.prevCursor(), entries.nextCursor()));
        return "security-log";
    }
}
