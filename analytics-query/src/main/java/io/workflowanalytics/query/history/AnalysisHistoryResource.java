package io.workflowanalytics.query.history;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.security.Roles;
import io.workflowanalytics.common.web.QueryParams;
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

/** The analyses the scheduled jobs stored for a workflow (spec: AnalyticsSchedule), newest first. */
@Path("/api/workflows/{workflowId}/analytics/history/{kind}")
@Tag(name = "Analysis history", description = "Stored performance, usage, error and cost analyses")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class AnalysisHistoryResource {

    private final AnalysisHistoryRepository repository;

    public AnalysisHistoryResource(AnalysisHistoryRepository repository) {
        this.repository = repository;
    }

    @GET
    @Operation(summary = "Stored analyses of one kind for a workflow, newest first")
    public Uni<List<Map<String, Object>>> list(
            @PathParam("workflowId") @Parameter(example = "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10") String workflowId,
            @PathParam("kind") @Parameter(description = "performance, usage, errors or costs", example = "performance")
            String kind,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(500) int limit) {
        return repository.latest(QueryParams.enumValue(AnalysisKind.class, "kind", kind), workflowId, limit);
    }
}
