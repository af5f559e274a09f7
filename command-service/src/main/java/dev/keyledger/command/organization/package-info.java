/**
 * Organizations and their plans: the {@link dev.keyledger.command.organization.Organization}
 * aggregate, its management endpoints (platform_admin only), and the command-side
 * {@code organization_directory} that other features use to check that an organization exists.
 * The directory is written by a subscribing processor in the transaction that appends the event,
 * so it never lags the event store; it remembers organizations it has seen in a concurrent set
 * (they are never deleted). Bad input is a {@code DomainRuleViolation} (400: a {@code
 * DisplayName}, a known plan, enterprise limits 1 to 10^9 a minute and 10^12 a day); unknown
 * organizations are 404.
 */
package dev.keyledger.command.organization;
