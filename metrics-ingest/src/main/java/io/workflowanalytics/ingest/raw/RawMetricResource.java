package io.workflowanalytics.ingest.raw;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.security.Roles;
import io.workflowanalytics.common.time.TimeRanges;
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

import java.time.Instant;
import java.util.List;

/** Operators' view of what the write path stored: the raw metrics of one workflow, newest first. */
@Path("/api/workflows/{workflowId}/metrics/raw")
@Tag(name = "Raw metrics", description = "Metrics as metrics-ingest stored them")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class RawMetricResource {

    private final RawMetricRepository repository;

    public RawMetricResource(RawMetricRepository repository) {
        this.repository = repository;
    }

    @GET
    @Operation(summary = "Raw metrics of a workflow in a time range, newest first")
    public Uni<List<AnalyticsMetric>> list(
            @PathParam("workflowId") @Parameter(example = "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10") String workflowId,
            @QueryParam("timeRange") @Parameter(description = "Window ending now: 1h, 24h, 7d, 30d, 90d", example = "24h")
            String timeRange,
            @QueryParam("start") @Parameter(description = "ISO-8601 start, instead of timeRange") String start,
            @QueryParam("end") @Parameter(description = "ISO-8601 end (exclusive), instead of timeRange") String end,
            @QueryParam("metricType") @Parameter(example = "execution_time") String metricType,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        var range = TimeRanges.resolve(timeRange, start, end, "24h", Instant.now());
        MetricType type = QueryParams.enumValue(MetricType.class, "metricType", metricType);
        return repository.find(workflowId, range, type, limit);
    }
}
