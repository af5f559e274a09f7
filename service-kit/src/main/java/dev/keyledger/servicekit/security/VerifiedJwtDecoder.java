package dev.keyledger.servicekit.security;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The decoder of the filter chains: Boot's {@link JwtDecoder} (signature, algorithm and every
 * validator), possibly behind the {@link VerifiedTokenCache}. A type of its own so that it is not a
 * second {@code JwtDecoder} bean, which would make Boot's auto-configured one back off.
 */
public final class VerifiedJwtDecoder {

    private final JwtDecoder decoder;

    VerifiedJwtDecoder(JwtDecoder decoder) {
        this.decoder = decoder;
    }

    public Jwt decode(String token) throws JwtException {
        return decoder.decode(token);
    }

    JwtDecoder asJwtDecoder() {
        return decoder;
    }
}
