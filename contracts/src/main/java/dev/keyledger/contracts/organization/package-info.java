/**
 * Organizations and their plans: commands, events, {@link dev.keyledger.contracts.organization.Plan}
 * with the per-minute and per-day limits of each plan. Immutable and thread safe.
 */
package dev.keyledger.contracts.organization;
