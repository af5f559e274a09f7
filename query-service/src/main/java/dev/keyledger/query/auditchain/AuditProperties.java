package dev.keyledger.query.auditchain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the audit chain: the checkpoint signing keys, the checkpoint topic and the audit log's
 * retention in the read models (docs/audit.md).
 *
 * @param signing the key that signs checkpoints now, and the retired ones still listed
 * @param checkpoints publication of chain heads to {@code keyledger.audit-checkpoints}
 * @param retention how long the read models keep audit entries; {@code null} (the default): forever.
 *     The event store and the Kafka topics are never shortened by it
 * @param retentionInterval how often retention runs when {@code retention} is set
 */
@ConfigurationProperties("keyledger.audit")
public record AuditProperties(
        Signing signing, Checkpoints checkpoints, Duration retention, Duration retentionInterval) {

    public AuditProperties {
        signing = signing == null ? new Signing(null, null, null, null, null, null, null, null) : signing;
        checkpoints = checkpoints == null ? new Checkpoints(null, null, null, null) : checkpoints;
        retentionInterval = retentionInterval == null ? Duration.ofHours(1) : retentionInterval;
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("keyledger.audit.retention must be positive (or unset: forever)");
        }
    }

    /**
     * The signing key: a PKCS#8 PEM file ({@code pem-file}) or an entry of a PKCS#12 keystore
     * ({@code keystore}, {@code keystore-password}, {@code key-alias}, {@code key-password}),
     * named {@code key-id} in checkpoints and in the JWK set. With {@code generate-if-missing} a
     * missing PEM file is created with a new key (the standalone's data directory). Rotation: give
     * the new key a new {@code key-id} and move the old one's public key to {@code retired}.
     */
    public record Signing(
            String keyId,
            Path pemFile,
            Boolean generateIfMissing,
            Path keystore,
            String keystorePassword,
            String keyAlias,
            String keyPassword,
            List<RetiredKey> retired) {

        public Signing {
            generateIfMissing = generateIfMissing != null && generateIfMissing;
            retired = retired == null ? List.of() : List.copyOf(retired);
        }

        /** A key that no longer signs but whose checkpoints must still verify: its PEM with a PUBLIC KEY. */
        public record RetiredKey(String keyId, Path publicKeyFile) {}

        @Override
        public String toString() {
            // Passwords never reach a log line.
            return "Signing[keyId=" + keyId + ", pemFile=" + pemFile + ", keystore=" + keystore + ", retired="
                    + retired.size() + "]";
        }
    }

    /**
     * @param enabled whether this instance publishes chain heads (only the projection lease holder does)
     * @param topic the checkpoint topic
     * @param interval at most one checkpoint per organization per interval, and only after a change
     * @param sendTimeout how long a publication waits for the broker's acknowledgement
     */
    public record Checkpoints(Boolean enabled, String topic, Duration interval, Duration sendTimeout) {
        public Checkpoints {
            enabled = enabled == null || enabled;
            topic = topic == null ? dev.keyledger.contracts.kafka.Topics.AUDIT_CHECKPOINTS : topic;
            interval = interval == null ? Duration.ofMinutes(1) : interval;
            sendTimeout = sendTimeout == null ? Duration.ofSeconds(30) : sendTimeout;
        }
    }
}
