package io.workflowanalytics.realtime.live;

import io.workflowanalytics.common.security.Roles;
import io.workflowanalytics.realtime.health.SystemHealthView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.Locale;

/** {@code GET /api/workflows/{workflowId}/analytics/realtime}: the workflow's live figures (docs/views/realtime.md). */
@Path("/api/workflows/{workflowId}/analytics/realtime")
@Tag(name = "Real-time status", description = "Live figures, running executions, health and open alerts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class RealtimeResource {

    private final LiveState state;
    private final SystemHealthView health;

    public RealtimeResource(LiveState state, SystemHealthView health) {
        this.state = state;
        this.health = health;
    }

    @GET
    @Operation(summary = "Current metrics over sliding windows, active executions, system health, recent events "
            + "and open alerts of a workflow")
    public RealtimeStatus status(
            @PathParam("workflowId") @Parameter(example = "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10") String workflowId) {
        Instant now = Instant.now();
        return state.status(workflowId.toLowerCase(Locale.ROOT), health.current(now), now);
    }
}
