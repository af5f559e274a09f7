package dev.keyledger.contracts.organization;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Plans with their fixed UTC window limits. Enterprise limits are custom and set on the
 * organization, so {@link #defaultLimits()} is {@code null} for it.
 */
public enum Plan {
    FREE("free", new RateLimits(10, 1_000)),
    STARTER("starter", new RateLimits(60, 10_000)),
    PRO("pro", new RateLimits(600, 100_000)),
    ENTERPRISE("enterprise", null);

    private final String wireName;
    private final RateLimits defaultLimits;

    Plan(String wireName, RateLimits defaultLimits) {
        this.wireName = wireName;
        this.defaultLimits = defaultLimits;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public RateLimits defaultLimits() {
        return defaultLimits;
    }

    public boolean hasCustomLimits() {
        return this == ENTERPRISE;
    }

    /** The plan for a wire name, or {@code null} when there is none. */
    @JsonCreator
    public static Plan fromWireName(String wireName) {
        for (Plan plan : values()) {
            if (plan.wireName.equals(wireName)) {
                return plan;
            }
        }
        return null;
    }
}
