package dev.keyledger.edge.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the HTTP front: proxy mode and forward-auth mode.
 *
 * @param upstream where verified requests under {@link #prefixes} go
 * @param prefixes path prefixes that need a key and are proxied
 * @param connectTimeout connecting to the upstream
 * @param responseTimeout the longest silence while waiting for or reading the upstream's response
 * @param forwardAuthPath the forward-auth endpoint; paths under it also work (Envoy ext_authz appends the original path)
 * @param trustedProxies peers (IP addresses or CIDR blocks) whose {@code Forwarded} and
 *     {@code X-Forwarded-*} headers are passed to the upstream; from anyone else they are dropped.
 *     Default none.
 */
@ConfigurationProperties("keyledger.proxy")
public record ProxyProperties(
        URI upstream,
        List<String> prefixes,
        Duration connectTimeout,
        Duration responseTimeout,
        String forwardAuthPath,
        List<String> trustedProxies) {

    public ProxyProperties {
        upstream = upstream == null ? URI.create("http://localhost:8099") : upstream;
        prefixes = prefixes == null || prefixes.isEmpty() ? List.of("/api/") : List.copyOf(prefixes);
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
        responseTimeout = responseTimeout == null ? Duration.ofSeconds(30) : responseTimeout;
        forwardAuthPath = forwardAuthPath == null ? "/_keyledger/auth" : forwardAuthPath;
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }
}
