package io.workflowanalytics.query.alerts;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.security.Roles;
import io.workflowanalytics.common.web.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

/** A workflow's alert rules: its own, and the configured defaults that apply to it (docs/views/alerts.md). */
@Path("/api/workflows/{workflowId}/analytics/alert-rules")
@Tag(name = "Alerts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class AlertRuleResource {

    private final AlertRuleService service;
    private final CurrentIdentityAssociation identities;

    public AlertRuleResource(AlertRuleService service, CurrentIdentityAssociation identities) {
        this.service = service;
        this.identities = identities;
    }

    @GET
    @Operation(summary = "The workflow's rules: its own, then the defaults that apply to it")
    public Uni<List<AlertRule>> list(
            @PathParam("workflowId") @Parameter(example = "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10") String workflowId) {
        return service.list(UUID.fromString(workflowId));
    }

    @GET
    @Path("/{ruleId}")
    @Operation(summary = "One rule of the workflow")
    @APIResponse(responseCode = "404", description = "No such rule for this workflow")
    public Uni<AlertRule> get(@PathParam("workflowId") String workflowId, @PathParam("ruleId") String ruleId) {
        return service.get(UUID.fromString(workflowId), id(ruleId));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Creates a rule; omitted fields take the type's default rule's values. It replaces the "
            + "defaults of its type for this workflow")
    @APIResponse(responseCode = "201", description = "Created")
    public Uni<Response> create(@PathParam("workflowId") String workflowId, AlertRuleRequest body) {
        UUID workflow = UUID.fromString(workflowId);
        return who().chain(by -> service.create(workflow, body, by))
                .map(rule -> Response.status(201).entity(rule).header("Location",
                        "/api/workflows/" + workflowId + "/analytics/alert-rules/" + rule.id()).build());
    }

    @PUT
    @Path("/{ruleId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Replaces a rule's parameters (omitted ones take the defaults; the type cannot change). A "
            + "default rule becomes the workflow's own")
    public Uni<AlertRule> update(@PathParam("workflowId") String workflowId, @PathParam("ruleId") String ruleId,
                                 AlertRuleRequest body) {
        return service.update(UUID.fromString(workflowId), id(ruleId), body);
    }

    @DELETE
    @Path("/{ruleId}")
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Deletes an own rule and resolves its open alert")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "A default rule: turn it off with PUT enabled=false")
    public Uni<Response> delete(@PathParam("workflowId") String workflowId, @PathParam("ruleId") String ruleId) {
        UUID workflow = UUID.fromString(workflowId);
        return who().chain(by -> service.delete(workflow, id(ruleId), by)).map(x -> Response.noContent().build());
    }

    private static UUID id(String ruleId) {
        return UUID.fromString(QueryParams.uuid("ruleId", ruleId));
    }

    private Uni<String> who() {
        return identities.getDeferredIdentity().map(identity -> identity.getPrincipal().getName());
    }
}
