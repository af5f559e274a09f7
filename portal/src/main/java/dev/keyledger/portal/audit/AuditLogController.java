package dev.keyledger.portal.audit;

import dev.keyledger.portal.PortalProperties;
import dev.keyledger.portal.api.Models.AuditEntry;
import dev.keyledger.portal.api.QueryApi;
import dev.keyledger.portal.web.Page;
import dev.keyledger.portal.web.TimeFields;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

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
            model.addAttribute("page", Page.of(List.<AuditEntry>of(), 1, properties.pageSize()));
            return "audit-log";
        }
        List<AuditEntry> entries = new ArrayList<>(queries.auditLog(org, start, end));
        Collections.reverse(entries);
        model.addAttribute("page", Page.of(entries, page, properties.pageSize()));
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
