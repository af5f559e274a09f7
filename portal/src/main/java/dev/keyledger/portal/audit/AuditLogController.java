package dev.keyledger.portal.audit;

import dev.keyledger.portal.PortalProperties;
import dev.keyledger.portal.api.ApiException;
import dev.keyledger.portal.api.Models.AuditEntry;
import dev.keyledger.portal.api.Models.CursorList;
import dev.keyledger.portal.api.QueryApi;
import dev.keyledger.portal.web.CursorPage;
import dev.keyledger.portal.web.TimeFields;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The {@code Audit log} page, newest entries first, filtered by a range of UTC times, and its
 * {@code Download}: the read API's NDJSON of the same range streamed through the portal (the
 * browser has no token to ask the read API itself).
 */
@Controller
@RequestMapping("/organizations/{org}/audit-log")
class AuditLogController {

    private final QueryApi queries;
    private final PortalProperties properties;

    AuditLogController(QueryApi queries, PortalProperties properties) {
        this.queries = queries;
        this.properties = properties;
    }

    @GetMapping
    String auditLog(
            @PathVariable String org,
            @RequestParam(defaultValue = "") String from,
            @RequestParam(defaultValue = "") String to,
            @RequestParam(defaultValue = "1") int page,
            @RequestParam(required = false) String cursor,
            HttpServletResponse response,
            Model model) {
        model.addAttribute("org", org);
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        Instant start;
        Instant end;
        try {
            start = TimeFields.parse("From", from);
            end = TimeFields.parse("To", to);
        } catch (IllegalArgumentException e) {
            response.setStatus(400);
            model.addAttribute("error", e.getMessage());
            model.addAttribute("page", CursorPage.<AuditEntry>none());
            return "audit-log";
        }
        String position = CursorPage.cursor(cursor);
        CursorList<AuditEntry> entries;
        try {
            // One page, newest first, read as such from the read API (keyset paging, never the whole log).
            entries = queries.auditPage(org, start, end, "-occurred_at", properties.pageSize(), position);
        } catch (ApiException refusal) {
            if (refusal.status() != 400 || position == null) {
                throw refusal;
            }
            // A cursor of another range, or edited: the first page of this range.
            return "redirect:"
                    + UriComponentsBuilder.fromPath("/organizations/{org}/audit-log")
                            .queryParam("from", from)
                            .queryParam("to", to)
                            .buildAndExpand(org)
                            .encode()
                            .toUriString();
        }
        model.addAttribute("page", CursorPage.of(entries.data(), page, entries.prevCursor(), entries.nextCursor()));
        return "audit-log";
    }

    @GetMapping("/download")
    void download(
            @PathVariable String org,
            @RequestParam(defaultValue = "") String from,
            @RequestParam(defaultValue = "") String to,
            HttpServletResponse response)
            throws IOException {
        Instant start;
        Instant end;
        try {
            start = TimeFields.parse("From", from);
            end = TimeFields.parse("To", to);
        } catch (IllegalArgumentException e) {
            response.sendError(400, e.getMessage());
            return;
        }
        response.setContentType("application/x-ndjson");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"audit-log-" + org + ".ndjson\"");
        OutputStream out = response.getOutputStream();
        queries.streamAuditLog(org, start, end, out);
        out.flush();
    }
}
