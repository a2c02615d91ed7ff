package io.workflowanalytics.realtime.snapshots;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.security.Roles;
import io.workflowanalytics.common.time.TimeRanges;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** History of a workflow's real-time monitoring snapshots (spec: RealTimeMonitor), newest first. */
@Path("/api/workflows/{workflowId}/analytics/realtime/snapshots")
@Tag(name = "Real-time snapshots", description = "Periodic snapshots of a workflow's live state")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class SnapshotResource {

    private final SnapshotRepository repository;

    public SnapshotResource(SnapshotRepository repository) {
        this.repository = repository;
    }

    @GET
    @Operation(summary = "Real-time monitoring snapshots of a workflow in a time range, newest first")
    public Uni<List<Map<String, Object>>> list(
            @PathParam("workflowId") @Parameter(example = "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10") String workflowId,
            @QueryParam("timeRange") @Parameter(example = "1h") String timeRange,
            @QueryParam("start") String start,
            @QueryParam("end") String end,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return repository.find(workflowId, TimeRanges.resolve(timeRange, start, end, "1h", Instant.now()), limit);
    }
}
