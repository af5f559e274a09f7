package dev.keyledger.servicekit.security;

/**
 * The header checks of Spring Security's {@code StrictHttpFirewall}, without the regular
 * expressions it matches every header name and value against ({@code
 * [\p{IsAssigned}&&[^\p{IsControl}]]*}, values also allowing a tab): with a bearer token of some
 * 700 characters on every call the expressions showed up in CPU profiles. Same rules, per code
 * point: defined in Unicode and not a control character.
 */
final class HeaderCharacters {

    private HeaderCharacters() {}

    static boolean nameAllowed(String name) {
        return allowed(name, false);
    }

    static boolean valueAllowed(String value) {
        return allowed(value, true);
    }

    private static boolean allowed(String text, boolean tabAllowed) {
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                i++;
                continue;
            }
            int codePoint = text.codePointAt(i);
            boolean ok = (Character.isDefined(codePoint) && !Character.isISOControl(codePoint))
                    || (tabAllowed && codePoint == '\t');
            if (!ok) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
