package dev.keyledger.command.apikey;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.keyledger.command.domain.DomainRuleViolation;
import dev.keyledger.command.domain.UnknownAggregate;
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
import dev.keyledger.contracts.value.DisplayName;
import dev.keyledger.contracts.value.Reason;
import java.time.Instant;
import java.time.ZoneOffset;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One API key. Active until revoked or expired; a rolled key stays usable until its grace period
 * ends. Time comes from Axon's event clock so that fixtures can control it. Rules: the name is a
 * {@link DisplayName}; an expiry lies in the future and at most {@value #MAX_LIFETIME_YEARS} years
 * ahead (so that every stored instant is an ordinary timestamp for PostgreSQL and every reader); a
 * grace period is 0 to {@value #MAX_GRACE_PERIOD_SECONDS} seconds.
 */
@Aggregate
class ApiKey {

    static final long MAX_GRACE_PERIOD_SECONDS = 604_800;
    static final int MAX_LIFETIME_YEARS = 10;

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
    private String keyHash;
    private Instant expiresAt;
    private Status status;

    ApiKey() {}

    @CommandHandler
    ApiKey(IssueApiKeyCommand command) {
        if (command.organizationId() == null || command.type() == null || command.keyHash() == null) {
            throw new IllegalArgumentException("organization, type and key hash are required");
        }
        DisplayName name = DomainRuleViolation.parse("name", command.name(), DisplayName::parse);
        boolean isPublic = command.type() == ApiKeyType.PUBLIC;
        if (isPublic != (command.databaseId() != null) || isPublic != (command.publicKey() != null)) {
            throw new IllegalArgumentException("a public key needs a database and its value; a secret key neither");
        }
        checkExpiry(command.expiresAt());
        apply(new ApiKeyIssuedEvent(
                command.keyId(),
                command.organizationId(),
                command.databaseId(),
                command.type(),
                name.value(),
                command.keyHash(),
                command.lastFour(),
                command.publicKey(),
                command.expiresAt(),
                command.replaces()));
    }

    @CommandHandler
    void handle(RenameApiKeyCommand command) {
        DisplayName newName = DomainRuleViolation.parse("name", command.name(), DisplayName::parse);
        requireOwner(command.organizationId());
        requireUsable("renamed");
        if (!newName.value().equals(name)) {
            apply(new ApiKeyRenamedEvent(keyId, organizationId, newName.value()));
        }
    }

    /**
     * Marks this key rolled and returns the command that issues its successor; both happen in one
     * unit of work ({@link RollApiKeyHandler}). The successor keeps this key's own expiry.
     */
    IssueApiKeyCommand roll(RollApiKeyCommand command, GeneratedApiKey successor) {
        long grace = command.gracePeriodSeconds();
        if (grace < 0 || grace > MAX_GRACE_PERIOD_SECONDS) {
            throw new DomainRuleViolation(
                    "grace_period_seconds", "must be an integer from 0 to " + MAX_GRACE_PERIOD_SECONDS);
        }
        requireOwner(command.organizationId());
        if (status != Status.ACTIVE || isDue()) {
            throw new IllegalStateException("Only an active key can be rolled");
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

    /** Revokes a usable key and tells whether it did; a revoked or expired key is left alone. */
    @CommandHandler
    boolean handle(RevokeApiKeyCommand command) {
        String reason = command.reason() == null
                ? null
                : DomainRuleViolation.parse("reason", command.reason(), Reason::parse)
                        .value();
        requireOwner(command.organizationId());
        if (status == Status.ACTIVE || status == Status.ROLLED) {
            apply(new ApiKeyRevokedEvent(keyId, organizationId, reason, keyHash));
            return true;
        }
        return false;
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

    /**
     * A new key's expiry: none, or after now and at most {@value #MAX_LIFETIME_YEARS} calendar years
     * (UTC) ahead. A roll's successor inherits its predecessor's expiry, which met the bound at an
     * earlier time, so it meets it now too.
     */
    private static void checkExpiry(Instant expiresAt) {
        if (expiresAt == null) {
            return;
        }
        Instant now = now();
        if (!expiresAt.isAfter(now)) {
            throw new DomainRuleViolation("expires_at", "must be in the future");
        }
        if (expiresAt.isAfter(
                now.atOffset(ZoneOffset.UTC).plusYears(MAX_LIFETIME_YEARS).toInstant())) {
            throw new DomainRuleViolation(
                    "expires_at", "must be at most " + MAX_LIFETIME_YEARS + " years in the future");
        }
    }

    private boolean isDue() {
        return expiresAt != null && !expiresAt.isAfter(now());
    }

    private void requireOwner(String organizationId) {
        if (!this.organizationId.equals(organizationId)) {
            throw new UnknownAggregate("unknown key");
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
        keyHash = event.keyHash();
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
