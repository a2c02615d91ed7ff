package io.workflowanalytics.ingest.intake;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * HTTP intake for producers that cannot speak Kafka (group {@value Roles#INGEST}). 202 when at least one item was
 * accepted (the rejected ones are listed by index); 400 when none was; 403 when an item names a workflow outside the
 * token's claim; 413 above {@code wa.ingest.max-http-body-bytes}; 503 when Kafka does not acknowledge in time
 * (retrying is safe: items are stored once by id).
 */
@Path("/api/v1/ingest")
@Tag(name = "Ingest", description = "Metrics and execution events over HTTP")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.INGEST)
public class IntakeResource {

    private final IntakeService intake;
    private final CurrentIdentityAssociation identities;

    public IntakeResource(IntakeService intake, CurrentIdentityAssociation identities) {
        this.intake = intake;
        this.identities = identities;
    }

    // @Blocking: parsing and validating up to 10,000 items is CPU work that must not hold an event loop.
    @POST
    @Blocking
    @Path("/metrics")
    @Operation(summary = "Accept a JSON array of AnalyticsMetric (docs/events/analytics-metric.schema.json)")
    @APIResponse(responseCode = "202", description = "Accepted items are durably on workflow.metrics",
            content = @Content(schema = @Schema(implementation = IntakeResult.class)))
    public Uni<Response> metrics(byte[] body) {
        return identities.getDeferredIdentity().chain(caller -> intake.metrics(body, caller)).map(IntakeResource::accepted);
    }

    @POST
    @Blocking
    @Path("/executions")
    @Operation(summary = "Accept a JSON array of ExecutionEvent (docs/events/execution-event.schema.json)")
    @APIResponse(responseCode = "202", description = "Accepted items are durably on workflow.executions",
            content = @Content(schema = @Schema(implementation = IntakeResult.class)))
    public Uni<Response> executions(byte[] body) {
        return identities.getDeferredIdentity().chain(caller -> intake.executions(body, caller)).map(IntakeResource::accepted);
    }

    private static Response accepted(IntakeResult result) {
        return Response.accepted(result).build();
    }
}
