package dev.keyledger.servicekit.securitylog;

import dev.keyledger.contracts.securitylog.RefusalReason;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;

/**
 * Where a refusal is decided, its reason is noted on the request for the {@link RefusalRecorder},
 * which runs outside every security filter and sees only the answer's status. Refusals that note
 * nothing (the controllers' role and organization checks) are classified by the recorder from the
 * verified caller and the route.
 */
public final class RefusalReasons {

    static final String ATTRIBUTE = RefusalReasons.class.getName() + ".reason";

    private RefusalReasons() {}

    /** Notes why {@code request} is being refused. */
    public static void note(HttpServletRequest request, RefusalReason reason) {
        request.setAttribute(ATTRIBUTE, reason);
    }

    /**
     * Notes the reason of a 401 from the exception the entry point was given: no token at all, an
     * {@code Authorization} header that is not one bearer token, or a token that failed
     * verification. Classified by type and OAuth2 error code, never by message.
     */
    public static void noteAuthenticationFailure(HttpServletRequest request, AuthenticationException exception) {
        note(request, authenticationFailure(exception));
    }

    static RefusalReason authenticationFailure(AuthenticationException exception) {
        if (exception instanceof InsufficientAuthenticationException
                || exception instanceof AuthenticationCredentialsNotFoundException) {
            return RefusalReason.MISSING_TOKEN;
        }
        if (exception instanceof OAuth2AuthenticationException oauth
                && OAuth2ErrorCodes.INVALID_REQUEST.equals(oauth.getError().getErrorCode())) {
            return RefusalReason.MALFORMED_AUTHORIZATION;
        }
        return RefusalReason.INVALID_TOKEN;
    }

    static RefusalReason noted(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof RefusalReason reason ? reason : null;
    }
}
