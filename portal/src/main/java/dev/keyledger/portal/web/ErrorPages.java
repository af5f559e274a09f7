package dev.keyledger.portal.web;

import dev.keyledger.portal.api.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.ClientAuthorizationException;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.client.ResourceAccessException;

/**
 * Turns an API's refusal into a page with the same meaning: 403 is the {@code Access denied} page
 * (another organization's URL, or a member trying to change something), 404 the not-found page, a
 * service that does not answer a 503 page. The APIs are the authority; the portal only shows it.
 */
@ControllerAdvice
class ErrorPages {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorPages.class);

    @ExceptionHandler(ApiException.class)
    String refused(ApiException refusal, HttpServletResponse response, Model model) {
        int status = switch (refusal.status()) {
            case 401, 403 -> 403;
            case 404 -> 404;
            case 400, 409, 422 -> refusal.status();
            default -> 502;
        };
        response.setStatus(status);
        model.addAttribute("status", status);
        if (status == 403) {
            return "denied";
        }
        if (status == 502) {
            // The API's own message is safe to log: the APIs never put a key's plaintext in an error.
            LOG.warn("An API answered {} ({})", refusal.status(), refusal.code());
        }
        model.addAttribute("message", status == 502 ? "A Keyledger service failed to answer." : refusal.describe());
        return "problem";
    }

    /**
     * The session's tokens can no longer be refreshed (the identity provider restarted, or the
     * refresh token expired or was revoked): the user signs in again.
     */
    @ExceptionHandler(ClientAuthorizationException.class)
    String signInAgain(ClientAuthorizationException failure, HttpServletRequest request) {
        LOG.info(
                "The session's tokens could not be renewed ({}); signing in again",
                failure.getError().getErrorCode());
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        return "redirect:/";
    }

    @ExceptionHandler(ResourceAccessException.class)
    String unreachable(ResourceAccessException failure, HttpServletResponse response, Model model) {
        LOG.warn("An API did not answer: {}", failure.getClass().getSimpleName());
        response.setStatus(503);
        model.addAttribute("status", 503);
        model.addAttribute("message", "A Keyledger service is not answering. Try again in a moment.");
        return "problem";
    }
}
