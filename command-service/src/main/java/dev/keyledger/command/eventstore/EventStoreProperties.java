package dev.keyledger.command.eventstore;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tuning of the JDBC event store. The gap settings bound the work a tracking processor spends on
 * global-index gaps: with an increment-1 identity column gaps only come from rolled-back inserts
 * and from transactions still in flight, so a short timeout and a small offset are enough
 * (decision record 0003).
 *
 * @param batchSize events read per query by tracking processors
 * @param gapTimeoutMillis how long a gap is waited for before it is treated as permanent
 * @param maxGapOffset how far behind the highest index gaps are still tracked
 * @param gapCleaningThreshold number of tracked gaps above which permanent ones are dropped
 */
@ConfigurationProperties("keyledger.event-store")
record EventStoreProperties(
        @DefaultValue("500") int batchSize,
        @DefaultValue("10000") int gapTimeoutMillis,
        @DefaultValue("10000") int maxGapOffset,
        @DefaultValue("250") int gapCleaningThreshold) {}
