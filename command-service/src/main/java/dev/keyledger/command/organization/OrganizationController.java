package dev.keyledger.command.organization;

import dev.keyledger.command.dispatch.CommandDispatcher;
import dev.keyledger.command.domain.UnknownAggregate;
import dev.keyledger.command.relay.RelayPublication;
import dev.keyledger.command.security.Caller;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.organization.ChangeOrganizationPlanCommand;
import dev.keyledger.contracts.organization.CreateOrganizationCommand;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.contracts.organization.ReactivateOrganizationCommand;
import dev.keyledger.contracts.organization.SuspendOrganizationCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Organizations and plans, for platform admins. */
@RestController
@Tag(name = "organizations")
@RequestMapping(path = "/api/v1/organizations", produces = MediaType.APPLICATION_JSON_VALUE)
class OrganizationController {

    private final CommandDispatcher dispatcher;
    private final OrganizationDirectory directory;
    private final RelayPublication publication;

    OrganizationController(
            CommandDispatcher dispatcher, OrganizationDirectory directory, RelayPublication publication) {
        this.dispatcher = dispatcher;
        this.directory = directory;
        this.publication = publication;
    }

    @Operation(
            operationId = "createOrganization",
            summary = "Create an organization",
            description = "Role: `platform_admin`. `limits` is required for the `enterprise` plan and refused"
                    + " for the others.")
    @ApiResponse(
            responseCode = "201",
            description = "The organization; `Location` names it",
            headers = @Header(name = "Location", schema = @Schema(type = "string")),
            content = @Content(schema = @Schema(implementation = OrganizationResponse.class)))
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<OrganizationResponse> create(
            @RequestBody OrganizationRequests.CreateOrganization body, Caller caller, HttpServletRequest request) {
        caller.requirePlatformAdmin();
        Plan plan = OrganizationRequests.plan(body.plan());
        var limits = OrganizationRequests.limits(body.limits());
        String id = Ids.newOrganizationId();
        dispatcher.send(
                new CreateOrganizationCommand(id, body.name(), plan, limits),
                dispatcher.actor(request, caller.subject()));
        return ResponseEntity.created(URI.create("/api/v1/organizations/" + id))
                .body(directory.find(id).orElseThrow());
    }

    @Operation(
            operationId = "changeOrganizationPlan",
            summary = "Change an organization's plan",
            description = "Role: `platform_admin`. `limits` is required for the `enterprise` plan and refused"
                    + " for the others; the new limits reach the edge with the active-key changelog.")
    @ApiResponse(
            responseCode = "200",
            description = "The organization with its new plan and limits",
            content = @Content(schema = @Schema(implementation = OrganizationResponse.class)))
    @ApiResponse(responseCode = "409", ref = "Conflict")
    @PutMapping(path = "/{organizationId}/plan", consumes = MediaType.APPLICATION_JSON_VALUE)
    OrganizationResponse changePlan(
            @PathVariable String organizationId,
            @RequestBody OrganizationRequests.ChangePlan body,
            Caller caller,
            HttpServletRequest request) {
        caller.requirePlatformAdmin();
        if (!Ids.isValid(organizationId, Ids.ORGANIZATION_PREFIX)) {
            throw new UnknownAggregate("unknown organization");
        }
        Plan plan = OrganizationRequests.plan(body.plan());
        var limits = OrganizationRequests.limits(body.limits());
        dispatcher.send(
                new ChangeOrganizationPlanCommand(organizationId, plan, limits),
                dispatcher.actor(request, caller.subject()));
        return directory.find(organizationId).orElseThrow(() -> new UnknownAggregate("unknown organization"));
    }

    @Operation(
            operationId = "suspendOrganization",
            summary = "Suspend an organization",
            description = "Role: `platform_admin`. Every key of the organization is refused at the edge (401, as any"
                    + " bad key) once the edge has read the change, until the organization is reactivated; its keys"
                    + " are not revoked and it gets no new ones (409). Its admins can still read. Suspending a"
                    + " suspended organization changes nothing (the first reason stays). Answers once the"
                    + " suspension is published to the edges' event stream (`X-Keyledger-Relay: published`), or,"
                    + " past `keyledger.relay.publish-wait`, stored only (`pending`, published later).")
    @ApiResponse(
            responseCode = "200",
            description = "The organization with `status: suspended` and the reason",
            headers =
                    @Header(
                            name = RelayPublication.HEADER,
                            description = RelayPublication.HEADER_DESCRIPTION,
                            schema =
                                    @Schema(
                                            type = "string",
                                            allowableValues = {"published", "pending"})),
            content = @Content(schema = @Schema(implementation = OrganizationResponse.class)))
    @PostMapping(path = "/{organizationId}/suspend", consumes = MediaType.APPLICATION_JSON_VALUE)
    OrganizationResponse suspend(
            @PathVariable String organizationId,
            @RequestBody OrganizationRequests.Suspend body,
            Caller caller,
            HttpServletRequest request,
            HttpServletResponse response) {
        caller.requirePlatformAdmin();
        requireOrganizationId(organizationId);
        dispatcher.send(
                new SuspendOrganizationCommand(organizationId, body.reason()),
                dispatcher.actor(request, caller.subject()));
        publication.awaitPublished(List.of(organizationId), response);
        return directory.find(organizationId).orElseThrow(() -> new UnknownAggregate("unknown organization"));
    }

    @Operation(
            operationId = "reactivateOrganization",
            summary = "Reactivate a suspended organization",
            description = "Role: `platform_admin`. The keys that were valid before the suspension and are still"
                    + " valid (not revoked, not expired meanwhile) work again once the edge has read the change."
                    + " Reactivating an active organization changes nothing. No body.")
    @ApiResponse(
            responseCode = "200",
            description = "The organization with `status: active`",
            content = @Content(schema = @Schema(implementation = OrganizationResponse.class)))
    @PostMapping(path = "/{organizationId}/reactivate")
    OrganizationResponse reactivate(@PathVariable String organizationId, Caller caller, HttpServletRequest request) {
        caller.requirePlatformAdmin();
        requireOrganizationId(organizationId);
        dispatcher.send(new ReactivateOrganizationCommand(organizationId), dispatcher.actor(request, caller.subject()));
        return directory.find(organizationId).orElseThrow(() -> new UnknownAggregate("unknown organization"));
    }

    private static void requireOrganizationId(String organizationId) {
        if (!Ids.isValid(organizationId, Ids.ORGANIZATION_PREFIX)) {
            throw new UnknownAggregate("unknown organization");
        }
    }
}
