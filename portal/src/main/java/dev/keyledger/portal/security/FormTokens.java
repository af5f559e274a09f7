package dev.keyledger.portal.security;

import jakarta.servlet.http.HttpSession;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.web.util.WebUtils;

/**
 * Single-use tokens for the forms that create something. The form page issues one and keeps it in
 * the session; the submission consumes it, so sending the same form again (reload, back button)
 * finds no token and creates nothing. The token doubles as the {@code Idempotency-Key} of the API
 * call. Only the tokens live in the session, never what the creation returned.
 */
@Component
public class FormTokens {

    private static final String ATTRIBUTE = FormTokens.class.getName();
    /** Enough for a user with many open tabs; the oldest are dropped first. */
    private static final int MAX_OPEN = 64;

    private final SecureRandom random = new SecureRandom();

    public String issue(HttpSession session) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        synchronized (WebUtils.getSessionMutex(session)) {
            Set<String> open = open(session);
            if (open.size() >= MAX_OPEN) {
                open.remove(open.iterator().next());
            }
            open.add(token);
            session.setAttribute(ATTRIBUTE, open);
        }
        return token;
    }

    /** True exactly once per issued token. */
    public boolean consume(HttpSession session, String token) {
        if (token == null) {
            return false;
        }
        synchronized (WebUtils.getSessionMutex(session)) {
            Set<String> open = open(session);
            boolean removed = open.remove(token);
            session.setAttribute(ATTRIBUTE, open);
            return removed;
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> open(HttpSession session) {
        Object value = session.getAttribute(ATTRIBUTE);
        return value instanceof LinkedHashSet<?> set ? (LinkedHashSet<String>) set : new LinkedHashSet<>();
    }
}
