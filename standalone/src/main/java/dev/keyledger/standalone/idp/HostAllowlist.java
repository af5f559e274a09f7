package dev.keyledger.standalone.idp;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The host names a request to the identity provider may name in its {@code Host} header, with any
 * port. The provider signs tokens for whoever asks, so a web page that rebinds its own DNS name to
 * 127.0.0.1 must not reach it: the browser still sends the page's name, which is not on the list.
 * Immutable and thread safe.
 */
final class HostAllowlist {

    private final Set<String> hosts;

    HostAllowlist(List<String> hosts) {
        this.hosts = hosts.stream().map(host -> host.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** True when the request carries exactly one {@code Host} header naming an allowed host. */
    boolean allows(List<String> hostHeaders) {
        if (hostHeaders == null || hostHeaders.size() != 1) {
            return false;
        }
        String host = hostHeaders.getFirst().strip().toLowerCase(Locale.ROOT);
        int portSeparator = host.startsWith("[") ? host.indexOf("]:") + 1 : host.lastIndexOf(':');
        if (portSeparator > 0) {
            String port = host.substring(portSeparator + 1);
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
                return false;
            }
            host = host.substring(0, portSeparator);
        }
        return hosts.contains(host);
    }
}
