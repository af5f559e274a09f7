package dev.keyledger.edge.usage;

import dev.keyledger.contracts.usage.UsageOutcome;

/**
 * What a request thread hands over: plain fields, no id generation, no JSON. The producer thread
 * turns it into a {@link dev.keyledger.contracts.usage.KeyUsageEvent}.
 */
public record UsageSample(
        long occurredAtMillis,
        String keyId,
        String organizationId,
        String databaseId,
        String keyType,
        UsageOutcome outcome,
        String method,
        String path,
        int status,
        long latencyMicros) {}
