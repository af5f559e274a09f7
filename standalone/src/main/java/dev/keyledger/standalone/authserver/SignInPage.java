package dev.keyledger.standalone.authserver;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The development sign-in page: {@code Subject}, {@code Organization ID} (empty for a platform
 * admin), a {@code Role} select and {@code Sign in}. Written out here rather than through a template
 * engine: this context shares its classpath with the portal, whose templates it must not pick up.
 */
@RestController
class SignInPage {

    @GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
    String page(HttpServletRequest request) {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        String error = null;
        if (request.getParameter("error") != null) {
            HttpSession session = request.getSession(false);
            Object failure = session == null ? null : session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
            error = failure instanceof AuthenticationException refused
                    ? refused.getMessage()
                    : "Sign-in failed; check the fields.";
        }
        StringBuilder html = new StringBuilder(2048);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Sign in · Keyledger development identity provider</title>")
                .append("<link rel=\"stylesheet\" href=\"/css/portal.css\"></head><body><main>")
                .append("<h1>Sign in</h1>")
                .append("<p>Keyledger development identity provider. Any subject is accepted: this sign-in")
                .append(" exists only in the standalone, for evaluation.</p>");
        if (error != null) {
            html.append("<p class=\"error\" role=\"alert\">")
                    .append(HtmlUtils.htmlEscape(error))
                    .append("</p>");
        }
        html.append("<form method=\"post\" action=\"/login\" class=\"stacked\">");
        if (csrf != null) {
            html.append("<input type=\"hidden\" name=\"")
                    .append(HtmlUtils.htmlEscape(csrf.getParameterName()))
                    .append("\" value=\"")
                    .append(HtmlUtils.htmlEscape(csrf.getToken()))
                    .append("\">");
        }
        html.append("<label for=\"subject\">Subject</label>")
                .append("<input id=\"subject\" name=\"subject\" required maxlength=\"255\" autocomplete=\"username\">")
                .append("<label for=\"organization_id\">Organization ID</label>")
                .append("<input id=\"organization_id\" name=\"organization_id\" aria-describedby=\"org-hint\">")
                .append("<p id=\"org-hint\" class=\"hint\">Empty for platform_admin.</p>")
                .append("<label for=\"role\">Role</label>")
                .append("<select id=\"role\" name=\"role\">")
                .append("<option value=\"platform_admin\">platform_admin</option>")
                .append("<option value=\"org_admin\" selected>org_admin</option>")
                .append("<option value=\"org_member\">org_member</option>")
                .append("</select>")
                .append("<div class=\"actions\"><button type=\"submit\">Sign in</button></div>")
                .append("</form></main></body></html>\n");
        return html.toString();
    }
}
