package dev.keyledger.command.database;

import dev.keyledger.command.web.ErrorResponse;
import dev.keyledger.command.web.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Browser origins a database's public keys are accepted from: {@code scheme://host[:port]} with
 * scheme http or https, a lowercase host, no path, query, fragment or user info, and no default
 * port (browsers never send one, so it could never match). The only wildcard is one leading label
 * of an https origin followed by at least two labels ({@code https://*.example.com}). Duplicates
 * are dropped; at most {@link #MAX_ORIGINS}.
 */
final class AllowedOrigins {

    static final int MAX_ORIGINS = 100;
    static final int MAX_LENGTH = 255;

    private static final Pattern ORIGIN = Pattern.compile("(http|https)://([^/?#@:\\s]+)(?::([0-9]{1,5}))?");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private AllowedOrigins() {}

    /** The origins without duplicates, or a {@link ValidationException} naming each bad entry. */
    static List<String> validate(List<String> origins) {
        if (origins == null) {
            throw new ValidationException("allowed_origins", "is required");
        }
        if (origins.size() > MAX_ORIGINS) {
            throw new ValidationException("allowed_origins", "at most " + MAX_ORIGINS + " origins");
        }
        List<ErrorResponse.FieldError> errors = new ArrayList<>();
        Set<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < origins.size(); i++) {
            String origin = origins.get(i);
            String problem = problem(origin);
            if (problem != null) {
                errors.add(new ErrorResponse.FieldError("allowed_origins[" + i + "]", problem));
            } else {
                unique.add(origin);
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return List.copyOf(unique);
    }

    private static String problem(String origin) {
        if (origin == null || origin.isEmpty() || origin.length() > MAX_LENGTH) {
            return "must be scheme://host[:port]";
        }
        Matcher matcher = ORIGIN.matcher(origin);
        if (!matcher.matches()) {
            return "must be scheme://host[:port] with scheme http or https and no path, query or fragment";
        }
        String scheme = matcher.group(1);
        String host = matcher.group(2);
        String port = matcher.group(3);
        if (port != null) {
            int value = Integer.parseInt(port);
            if (value < 1 || value > 65535 || port.startsWith("0")) {
                return "has an invalid port";
            }
            if ((scheme.equals("https") && value == 443) || (scheme.equals("http") && value == 80)) {
                return "must not name the default port";
            }
        }
        if (!host.equals(host.toLowerCase(java.util.Locale.ROOT))) {
            return "host must be lowercase";
        }
        String[] labels = host.split("\\.", -1);
        int first = 0;
        if (labels[0].equals("*")) {
            if (!scheme.equals("https") || labels.length < 3) {
                return "a wildcard is only allowed as https://*.domain.tld";
            }
            first = 1;
        }
        for (int i = first; i < labels.length; i++) {
            if (!LABEL.matcher(labels[i]).matches()) {
                return "has an invalid host";
            }
        }
        return null;
    }
}
