package io.workflowanalytics.query.alerts;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.events.AlertStatus;
import io.workflowanalytics.common.events.AlertType;
import io.workflowanalytics.common.problem.ProblemException;
import io.workflowanalytics.common.security.Roles;
import io.workflowanalytics.common.web.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** A workflow's alerts and their lifecycle: active → acknowledged → resolved, or suppressed (docs/views/alerts.md). */
@Path("/api/workflows/{workflowId}/analytics/alerts")
@Tag(name = "Alerts", description = "Alerts raised by the workflow's rules, and their lifecycle")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class AlertResource {

    private final AlertRepository alerts;
    private final AlertTransitions transitions;
    private final CurrentIdentityAssociation identities;
    private final Clock clock = Clock.systemUTC();

    public AlertResource(AlertRepository alerts, AlertTransitions transitions, CurrentIdentityAssociation identities) {
        this.alerts = alerts;
        this.transitions = transitions;
        this.identities = identities;
    }

    @GET
    @Operation(summary = "The workflow's alerts, newest first")
    public Uni<List<StoredAlert>> list(
            @PathParam("workflowId") @Parameter(example = "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10") String workflowId,
            @QueryParam("status") @Parameter(description = "comma-separated and/or repeated: active, acknowledged, "
                    + "suppressed, resolved (default all)", example = "active,acknowledged") List<String> status,
            @QueryParam("type") @Parameter(description = "an alert type", example = "error_rate_spike") String type,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        List<AlertStatus> statuses = QueryParams.enumList(AlertStatus.class, "status", status, null);
        AlertType t = QueryParams.enumValue(AlertType.class, "type", type);
        return alerts.list(UUID.fromString(workflowId), statuses, t, limit);
    }

    @GET
    @Path("/{alertId}")
    @Operation(summary = "One alert of the workflow")
    @APIResponse(responseCode = "404", description = "No such alert for this workflow")
    public Uni<StoredAlert> get(@PathParam("workflowId") String workflowId, @PathParam("alertId") String alertId) {
        UUID id = UUID.fromString(QueryParams.uuid("alertId", alertId));
        return alerts.find(UUID.fromString(workflowId), id).map(a -> {
            if (a == null) {
                throw ProblemException.notFound("Alert " + alertId + " of this workflow");
            }
            return a;
        });
    }

    @POST
    @Path("/{alertId}/acknowledge")
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Acknowledges an active alert (publishes alert_acknowledged); an acknowledged one stays so")
    @APIResponse(responseCode = "409", description = "The alert is resolved or suppressed")
    public Uni<StoredAlert> acknowledge(@PathParam("workflowId") String workflowId,
                                        @PathParam("alertId") String alertId) {
        return operate(workflowId, alertId, AlertTransitions.Operation.ACKNOWLEDGE, null);
    }

    @POST
    @Path("/{alertId}/resolve")
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Resolves an open alert by hand (publishes alert_resolved); its rule then waits for its "
            + "cooldown before firing again")
    @APIResponse(responseCode = "409", description = "The alert is already resolved")
    public Uni<StoredAlert> resolve(@PathParam("workflowId") String workflowId, @PathParam("alertId") String alertId) {
        return operate(workflowId, alertId, AlertTransitions.Operation.RESOLVE, null);
    }

    @POST
    @Path("/{alertId}/suppress")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Suppresses an open alert until an instant or for a duration (publishes alert_suppressed): "
            + "its rule raises nothing new until then; it still resolves when its condition clears")
    @APIResponse(responseCode = "409", description = "The alert is already resolved")
    public Uni<StoredAlert> suppress(@PathParam("workflowId") String workflowId, @PathParam("alertId") String alertId,
                                     SuppressRequest body) {
        if (body == null) {
            throw ProblemException.invalid("body", "is required: {\"duration\": \"1h\"} or {\"until\": \"…\"}");
        }
        return operate(workflowId, alertId, AlertTransitions.Operation.SUPPRESS, body);
    }

    private Uni<StoredAlert> operate(String workflowId, String alertId, AlertTransitions.Operation op,
                                     SuppressRequest body) {
        UUID id = UUID.fromString(QueryParams.uuid("alertId", alertId));
        var now = clock.instant();
        var until = body == null ? null : body.validatedUntil(now);
        return who().chain(by -> transitions.operate(UUID.fromString(workflowId), id, op, by, until, now));
    }

    private Uni<String> who() {
        return identities.getDeferredIdentity().map(identity -> identity.getPrincipal().getName());
    }
}
