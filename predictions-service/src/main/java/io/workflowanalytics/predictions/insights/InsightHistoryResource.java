package io.workflowanalytics.predictions.insights;

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

import java.util.List;
import java.util.Map;

/** The predictive insights stored for a workflow (spec: PredictiveInsight), newest first. */
@Path("/api/workflows/{workflowId}/analytics/predictions/history")
@Tag(name = "Prediction history", description = "Stored predictive insights")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class InsightHistoryResource {

    private final InsightRepository repository;

    public InsightHistoryResource(InsightRepository repository) {
        this.repository = repository;
    }

    @GET
    @Operation(summary = "Stored predictive insights of a workflow, newest first")
    public Uni<List<Map<String, Object>>> list(
            @PathParam("workflowId") @Parameter(example = "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10") String workflowId,
            @QueryParam("timeHorizon") @Parameter(description = "Only insights of this horizon", example = "7d")
            String timeHorizon,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(500) int limit) {
        // Blank is no filter, as for every other parameter; the value is checked and filtered on in one form.
        String horizon = timeHorizon == null || timeHorizon.isBlank() ? null : timeHorizon.trim();
        if (horizon != null) {
            TimeRanges.relative("timeHorizon", horizon);
        }
        return repository.latest(workflowId, horizon, limit);
    }
}
