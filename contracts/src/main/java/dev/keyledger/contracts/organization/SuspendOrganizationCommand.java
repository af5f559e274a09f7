package dev.keyledger.contracts.organization;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Suspends an organization: every key of it is refused at the edge until it is reactivated. The
 * reason is shown to the organization's admins; suspending a suspended organization changes nothing.
 */
public record SuspendOrganizationCommand(
        @TargetAggregateIdentifier String organizationId, String reason) {}
