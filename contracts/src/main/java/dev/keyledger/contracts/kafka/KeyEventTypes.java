package dev.keyledger.contracts.kafka;

import dev.keyledger.contracts.KeyledgerEvent;
import dev.keyledger.contracts.apikey.ApiKeyExpiredEvent;
import dev.keyledger.contracts.apikey.ApiKeyIssuedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRenamedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRevokedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRolledEvent;
import dev.keyledger.contracts.database.AllowedOriginsChangedEvent;
import dev.keyledger.contracts.database.DatabaseCreatedEvent;
import dev.keyledger.contracts.database.DatabaseDeletedEvent;
import dev.keyledger.contracts.organization.OrganizationCreatedEvent;
import dev.keyledger.contracts.organization.OrganizationPlanChangedEvent;
import dev.keyledger.contracts.organization.OrganizationReactivatedEvent;
import dev.keyledger.contracts.organization.OrganizationSuspendedEvent;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The stable wire names of events ({@code api_key.issued}, ...), independent of Java class names so
 * that a class can move or be renamed without breaking consumers.
 */
public final class KeyEventTypes {

    /** One event type: wire name, aggregate type, payload class and current revision. */
    public record Type(
            String name, String aggregateType, Class<? extends KeyledgerEvent> payloadClass, String revision) {}

    private static final List<Type> TYPES = List.of(
            new Type("organization.created", "organization", OrganizationCreatedEvent.class, "1"),
            new Type("organization.plan_changed", "organization", OrganizationPlanChangedEvent.class, "1"),
            new Type("organization.suspended", "organization", OrganizationSuspendedEvent.class, "1"),
            new Type("organization.reactivated", "organization", OrganizationReactivatedEvent.class, "1"),
            new Type("database.created", "database", DatabaseCreatedEvent.class, "1"),
            new Type("database.allowed_origins_changed", "database", AllowedOriginsChangedEvent.class, "1"),
            new Type("database.deleted", "database", DatabaseDeletedEvent.class, "1"),
            new Type("api_key.issued", "api_key", ApiKeyIssuedEvent.class, "1"),
            new Type("api_key.renamed", "api_key", ApiKeyRenamedEvent.class, "1"),
            new Type("api_key.rolled", "api_key", ApiKeyRolledEvent.class, "1"),
            new Type("api_key.revoked", "api_key", ApiKeyRevokedEvent.class, "1"),
            new Type("api_key.expired", "api_key", ApiKeyExpiredEvent.class, "1"));

    private static final Map<String, Type> BY_NAME =
            TYPES.stream().collect(Collectors.toUnmodifiableMap(Type::name, Function.identity()));
    private static final Map<Class<?>, Type> BY_CLASS =
            TYPES.stream().collect(Collectors.toUnmodifiableMap(Type::payloadClass, Function.identity()));

    private KeyEventTypes() {}

    public static List<Type> all() {
        return TYPES;
    }

    /** The type of a wire name, or {@code null} for a name this version does not know. */
    public static Type byName(String name) {
        return BY_NAME.get(name);
    }

    public static Type of(Class<?> payloadClass) {
        Type type = BY_CLASS.get(payloadClass);
        if (type == null) {
            throw new IllegalArgumentException("not a Keyledger event: " + payloadClass.getName());
        }
        return type;
    }
}
