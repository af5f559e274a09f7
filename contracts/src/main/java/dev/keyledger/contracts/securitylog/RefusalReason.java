package dev.keyledger.contracts.securitylog;

/**
 * Why a call of the management or read API was refused; the wire name is the {@code reason} of a
 * {@link SecurityRefusal} and a label value of {@code keyledger_security_refusals_total}, so the set
 * is closed and small.
 */
public enum RefusalReason {
    /** 401: no bearer token at all. */
    MISSING_TOKEN("missing_token"),
    /** 401: a bearer token that failed verification (signature, issuer, audience, expiry, claims). */
    INVALID_TOKEN("invalid_token"),
    /** 401: an {@code Authorization} header that is not one well-formed bearer token (two headers, say). */
    MALFORMED_AUTHORIZATION("malformed_authorization"),
    /** 401 for another reason than the above (a container refusal known only by its status). */
    UNAUTHORIZED("unauthorized"),
    /** 403: an {@code X-API-Key} instead of a JWT ("API keys cannot manage API keys"). */
    API_KEY_PRESENTED("api_key_presented"),
    /** 403: a valid token of another organization than the one the call names. */
    ORGANIZATION_MISMATCH("organization_mismatch"),
    /** 403: a valid token without the role the call needs. */
    ROLE_REQUIRED("role_required");

    private final String wireName;

    RefusalReason(String wireName) {
        this.wireName = wireName;
    }

    /** The name in records, the API and metric labels. */
    public String wireName() {
        return wireName;
    }

    /** The HTTP status a refusal for this reason has. */
    public int status() {
        return switch (this) {
            case MISSING_TOKEN, INVALID_TOKEN, MALFORMED_AUTHORIZATION, UNAUTHORIZED -> 401;
            case API_KEY_PRESENTED, ORGANIZATION_MISMATCH, ROLE_REQUIRED -> 403;
        };
    }
}
