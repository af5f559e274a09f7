package dev.keyledger.query.auditchain;

import dev.keyledger.contracts.audit.Jwk;
import dev.keyledger.contracts.audit.JwkSet;
import dev.keyledger.contracts.audit.SigningKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The key that signs audit checkpoints and the public keys of every key that ever did, read once at
 * start from {@code keyledger.audit.signing.*}. A configured key that cannot be read stops the
 * service (fail closed); no configured key leaves exports and checkpoint publication unavailable
 * (503) rather than signed with a throw-away key nobody can verify later. Only key ids and file
 * names are logged, never key material or passwords. Immutable after construction, thread safe.
 */
@Component
public class AuditSigningKeys {

    private static final Logger LOG = LoggerFactory.getLogger(AuditSigningKeys.class);

    private final SigningKey current;
    private final JwkSet published;

    AuditSigningKeys(AuditProperties properties) {
        AuditProperties.Signing signing = properties.signing();
        this.current = load(signing);
        List<Jwk> keys = new ArrayList<>();
        if (current != null) {
            keys.add(current.jwk());
        }
        for (AuditProperties.Signing.RetiredKey retired : signing.retired()) {
            keys.add(new Jwk(retired.keyId(), retiredPublicKey(retired)));
        }
        this.published = new JwkSet(keys);
        if (current == null) {
            LOG.warn("No audit signing key configured (keyledger.audit.signing.pem-file or .keystore):"
                    + " audit exports and checkpoints are unavailable");
        } else {
            LOG.info(
                    "Audit checkpoints are signed with key {}; {} retired key(s) listed",
                    current.keyId(),
                    signing.retired().size());
        }
    }

    /** The key that signs now, if one is configured. */
    public Optional<SigningKey> current() {
        return Optional.ofNullable(current);
    }

    /** Every public key: the current one first, then the retired ones. */
    public JwkSet jwks() {
        return published;
    }

    private static SigningKey load(AuditProperties.Signing signing) {
        if (signing.pemFile() != null && signing.keystore() != null) {
            throw new IllegalStateException("keyledger.audit.signing: set pem-file or keystore, not both");
        }
        if (signing.pemFile() == null && signing.keystore() == null) {
            return null;
        }
        String keyId = signing.keyId();
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalStateException("keyledger.audit.signing.key-id is required with a signing key");
        }
        try {
            if (signing.pemFile() != null) {
                Path file = signing.pemFile();
                if (Files.notExists(file) && signing.generateIfMissing()) {
                    generate(keyId, file);
                }
                return SigningKey.fromPemFile(keyId, file);
            }
            if (signing.keyAlias() == null) {
                throw new IllegalStateException("keyledger.audit.signing.key-alias is required with a keystore");
            }
            try (InputStream in = Files.newInputStream(signing.keystore())) {
                return SigningKey.fromPkcs12(
                        keyId,
                        in,
                        signing.keystorePassword() == null
                                ? new char[0]
                                : signing.keystorePassword().toCharArray(),
                        signing.keyAlias(),
                        signing.keyPassword() == null
                                ? null
                                : signing.keyPassword().toCharArray());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the audit signing key " + keyId + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the audit signing key " + keyId + " is not usable: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a new key readable by its owner only, atomically: two instances starting at once on
     * one data directory end with the same key.
     */
    private static void generate(String keyId, Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, ".audit-signing", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Not a POSIX file system: the directory's permissions protect the key.
            }
            Files.writeString(temporary, SigningKey.generate(keyId).toPem(), StandardCharsets.US_ASCII);
            try {
                // A hard link appears atomically and never replaces an existing file.
                Files.createLink(file, temporary);
            } catch (UnsupportedOperationException noLinks) {
                Files.move(temporary, file);
            }
            LOG.info("Generated a new audit signing key {} in {}", keyId, file);
        } catch (FileAlreadyExistsException raced) {
            // Another instance wrote it first: use that one.
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static PublicKey retiredPublicKey(AuditProperties.Signing.RetiredKey retired) {
        try {
            List<PublicKey> keys = SigningKey.publicKeysFromPem(Files.readString(retired.publicKeyFile()));
            if (keys.size() != 1) {
                throw new IllegalStateException("the retired audit key " + retired.keyId() + " needs exactly one"
                        + " PUBLIC KEY block in " + retired.publicKeyFile());
            }
            return keys.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the retired audit key " + retired.keyId(), e);
        }
    }
}
