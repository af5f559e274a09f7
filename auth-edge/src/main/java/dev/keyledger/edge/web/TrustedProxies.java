package dev.keyledger.edge.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers whose {@code Forwarded} and {@code X-Forwarded-*} headers the edge passes on (setting
 * {@code keyledger.proxy.trusted-proxies}: IPv4/IPv6 addresses or CIDR blocks, default none). Parsed
 * once at startup from literals only (no DNS); a lookup is a byte comparison per entry.
 */
final class TrustedProxies {

    private record Block(byte[] network, int bits) {}

    private final List<Block> blocks;

    TrustedProxies(List<String> entries) {
        List<Block> parsed = new ArrayList<>();
        for (String entry : entries) {
            if (!entry.isBlank()) {
                parsed.add(parse(entry.strip()));
            }
        }
        this.blocks = List.copyOf(parsed);
    }

    boolean isEmpty() {
        return blocks.isEmpty();
    }

    boolean trusts(InetSocketAddress peer) {
        if (blocks.isEmpty() || peer == null || peer.getAddress() == null) {
            return false;
        }
        byte[] address = peer.getAddress().getAddress();
        for (Block block : blocks) {
            if (matches(block, address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Block block, byte[] address) {
        if (block.network.length != address.length) {
            return false;
        }
        int bits = block.bits;
        for (int i = 0; i < address.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((block.network[i] & mask) != (address[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static Block parse(String entry) {
        int slash = entry.indexOf('/');
        String literal = slash < 0 ? entry : entry.substring(0, slash);
        byte[] network = literal(literal, entry);
        int max = network.length * 8;
        int bits = max;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw invalid(entry);
            }
            if (bits < 0 || bits > max) {
                throw invalid(entry);
            }
        }
        return new Block(network, bits);
    }

    private static byte[] literal(String literal, String entry) {
        // Literals only: anything InetAddress could read as a host name would mean a DNS lookup.
        boolean ipv6 = literal.indexOf(':') >= 0;
        int dots = 0;
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            boolean hex = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            dots += c == '.' ? 1 : 0;
            if (!(digit || c == '.' || (ipv6 && (hex || c == ':')))) {
                throw invalid(entry);
            }
        }
        if (literal.isEmpty() || (!ipv6 && dots != 3)) {
            throw invalid(entry);
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw invalid(entry);
        }
    }

    private static IllegalArgumentException invalid(String entry) {
        return new IllegalArgumentException(
                "keyledger.proxy.trusted-proxies: not an IP address or CIDR block: '" + entry + "'");
    }
}
