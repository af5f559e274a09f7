package dev.keyledger.command.apikey;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.keyledger.command.web.NotFoundException;
import dev.keyledger.contracts.apikey.ApiKeyExpiredEvent;
import dev.keyledger.contracts.apikey.ApiKeyIssuedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRenamedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRevokedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRolledEvent;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.apikey.ExpireApiKeyCommand;
import dev.keyledger.contracts.apikey.GeneratedApiKey;
import dev.keyledger.contracts.apikey.IssueApiKeyCommand;
import dev.keyledger.contracts.apikey.RenameApiKeyCommand;
import dev.keyledger.contracts.apikey.RevokeApiKeyCommand;
import dev.keyledger.contracts.apikey.RollApiKeyCommand;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One API key. Active until revoked or expired; a rolled key stays usable until its grace period
 * ends. Time comes from Axon's event clock so that fixtures can control it.
 */
@Aggregate
class ApiKey {

    static final long MAX_GRACE_PERIOD_SECONDS = 604_800;

    enum Status {
        ACTIVE,
        ROLLED,
        REVOKED,
        EXPIRED
    }

    @AggregateIdentifier
    private String keyId;

    private String organizationId;
    private String databaseId;
    private ApiKeyType type;
    private String name;
    private Instant expiresAt;
    private Status status;

    ApiKey() {}

    @CommandHandler
    ApiKey(IssueApiKeyCommand command) {
        if (command.organizationId() == null || command.type() == null || command.keyHash() == null) {
            throw new IllegalArgumentException("organization, type and key hash are required");
        }
        if (command.name() == null || command.name().isBlank()) {
            throw new IllegalArgumentException("name is required");
        }
        boolean isPublic = command.type() == ApiKeyType.PUBLIC;
        if (isPublic != (command.databaseId() != null) || isPublic != (command.publicKey() != null)) {
            throw new IllegalArgumentException("a public key needs a database and its value; a secret key neither");
        }
        if (command.expiresAt() != null && !command.expiresAt().isAfter(now())) {
            throw new IllegalArgumentException("expires_at must be in the future");
        }
        apply(new ApiKeyIssuedEvent(
                command.keyId(),
                command.organizationId(),
                command.databaseId(),
                command.type(),
                command.name(),
                command.keyHash(),
                command.lastFour(),
                command.publicKey(),
                command.expiresAt(),
                command.replaces()));
    }

    @CommandHandler
    void handle(RenameApiKeyCommand command) {
        requireOwner(command.organizationId());
        requireUsable("renamed");
        if (command.name() == null || command.name().isBlank()) {
            throw new IllegalArgumentException("name is required");
        }
        if (!command.name().equals(name)) {
            apply(new ApiKeyRenamedEvent(keyId, organizationId, command.name()));
        }
    }

    /**
     * Marks this key rolled and returns the command that issues its successor; both happen in one
     * unit of work ({@link RollApiKeyHandler}). The successor keeps this key's own expiry.
     */
    IssueApiKeyCommand roll(RollApiKeyCommand command, GeneratedApiKey successor) {
        requireOwner(command.organizationId());
        if (status != Status.ACTIVE || isDue()) {
            throw new IllegalStateException("Only an active key can be rolled");
        }
        long grace = command.gracePeriodSeconds();
        if (grace < 0 || grace > MAX_GRACE_PERIOD_SECONDS) {
            throw new IllegalArgumentException("grace_period_seconds must be between 0 and 604800");
        }
        Instant ownExpiry = expiresAt;
        Instant graceEnd = now().plusSeconds(grace);
        Instant oldKeyExpiry = ownExpiry != null && ownExpiry.isBefore(graceEnd) ? ownExpiry : graceEnd;
        apply(new ApiKeyRolledEvent(keyId, organizationId, command.successorId(), oldKeyExpiry));
        return new IssueApiKeyCommand(
                command.successorId(),
                organizationId,
                databaseId,
                type,
                name,
                successor.hash(),
                successor.lastFour(),
                type == ApiKeyType.PUBLIC ? successor.plaintext() : null,
                ownExpiry,
                keyId);
    }

    @CommandHandler
    void handle(RevokeApiKeyCommand command) {
        requireOwner(command.organizationId());
        if (status == Status.ACTIVE || status == Status.ROLLED) {
            apply(new ApiKeyRevokedEvent(keyId, organizationId));
        }
    }

    @CommandHandler
    void handle(ExpireApiKeyCommand command) {
        if ((status == Status.ACTIVE || status == Status.ROLLED) && isDue()) {
            apply(new ApiKeyExpiredEvent(keyId, organizationId, expiresAt));
        }
    }

    ApiKeyType type() {
        return type;
    }

    private boolean isDue() {
        return expiresAt != null && !expiresAt.isAfter(now());
    }

    private void requireOwner(String organizationId) {
        if (!this.organizationId.equals(organizationId)) {
            throw new NotFoundException("unknown key");
        }
    }

    private void requireUsable(String action) {
        if (status == Status.REVOKED || status == Status.EXPIRED) {
            throw new IllegalStateException("A " + status.name().toLowerCase() + " key cannot be " + action);
        }
    }

    private static Instant now() {
        return GenericEventMessage.clock.instant();
    }

    @EventSourcingHandler
    void on(ApiKeyIssuedEvent event) {
        keyId = event.keyId();
        organizationId = event.organizationId();
        databaseId = event.databaseId();
        type = event.type();
        name = event.name();
        expiresAt = event.expiresAt();
        status = Status.ACTIVE;
    }

    @EventSourcingHandler
    void on(ApiKeyRenamedEvent event) {
        name = event.name();
    }

    @EventSourcingHandler
    void on(ApiKeyRolledEvent event) {
        expiresAt = event.expiresAt();
        status = Status.ROLLED;
    }

    @EventSourcingHandler
    void on(ApiKeyRevokedEvent event) {
        status = Status.REVOKED;
    }

    @EventSourcingHandler
    void on(ApiKeyExpiredEvent event) {
        status = Status.EXPIRED;
    }
}
