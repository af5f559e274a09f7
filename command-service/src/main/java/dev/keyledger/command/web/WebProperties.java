package dev.keyledger.command.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * HTTP settings of the management API.
 *
 * @param maxBodyBytes largest accepted request body; larger ones are answered 413
 * @param trustForwardedFor take the client IP from the first {@code X-Forwarded-For} entry; only
 *     behind a proxy that sets it, otherwise any client could forge the audited IP
 */
@ConfigurationProperties("keyledger.web")
public record WebProperties(
        @DefaultValue("65536") long maxBodyBytes,
        @DefaultValue("false") boolean trustForwardedFor) {}
