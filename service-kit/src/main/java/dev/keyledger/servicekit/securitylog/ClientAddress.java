package dev.keyledger.servicekit.securitylog;

import dev.keyledger.contracts.securitylog.SecurityRefusal;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The client address of a refused call, by the rule of the audit log's actor IP (the
 * command-service's {@code CommandDispatcher}): the peer address, or the first {@code
 * X-Forwarded-For} entry when {@code keyledger.web.trust-forwarded-for} says a proxy sets it.
 * Unlike the actor IP it is bounded: anything that is not an IP literal of at most {@value
 * SecurityRefusal#MAX_IP_LENGTH} characters (hex digits, dots and colons) is recorded as unknown.
 */
final class ClientAddress {

    private ClientAddress() {}

    static String of(HttpServletRequest request, boolean trustForwardedFor) {
        String ip = request.getRemoteAddr();
        if (trustForwardedFor) {
            String forwarded = request.getHeader("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                int comma = forwarded.indexOf(',');
                ip = (comma < 0 ? forwarded : forwarded.substring(0, comma)).strip();
            }
        }
        return ipLiteral(ip) ? ip : null;
    }

    static boolean ipLiteral(String value) {
        if (value == null || value.length() < 2 || value.length() > SecurityRefusal.MAX_IP_LENGTH) {
            return false;
        }
        boolean separator = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (c == '.' || c == ':') {
                separator = true;
            } else if (!hex) {
                return false;
            }
        }
        return separator;
    }
}
