package io.workflowanalytics.query.performance;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.problem.ProblemException;
import io.workflowanalytics.common.security.Roles;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.common.time.TimeRanges;
import io.workflowanalytics.common.web.QueryParams;
import io.workflowanalytics.query.cache.CacheKey;
import io.workflowanalytics.query.view.ViewSupport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.UUID;

/** Page 02, performance metrics (spec: Get Performance Analysis, Get Performance Comparison). */
@Path("/api/workflows/{workflowId}/analytics/performance")
@Tag(name = "Performance", description = "Execution times, throughput, resources, bottlenecks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class PerformanceResource {

    private final PerformanceService service;
    private final ViewSupport views;

    public PerformanceResource(PerformanceService service, ViewSupport views) {
        this.service = service;
        this.views = views;
    }

    @GET
    @Operation(summary = "Performance analysis over a time range, with bottlenecks and recommendations")
    public Uni<Response> performance(
            @PathParam("workflowId") String workflowId,
            @QueryParam("timeRange") @Parameter(description = "1h, 24h, 7d, 30d, 90d (default 24h)") String timeRange,
            @QueryParam("start") @Parameter(description = "ISO start instead of timeRange") String start,
            @QueryParam("end") @Parameter(description = "ISO end (exclusive)") String end,
            @QueryParam("includeBottlenecks") String includeBottlenecks,
            @QueryParam("includeRecommendations") String includeRecommendations) {
        ViewSupport.ViewRange range = views.range(timeRange, start, end, "24h");
        boolean bottlenecks = QueryParams.bool("includeBottlenecks", includeBottlenecks, true);
        boolean recommendations = QueryParams.bool("includeRecommendations", includeRecommendations, true);
        String variant = (bottlenecks ? "" : "nb") + (recommendations ? "" : "nr");
        return views.cached(CacheKey.performance(workflowId, range.label(), variant),
                () -> service.analyse(UUID.fromString(workflowId), range.range(), bottlenecks, recommendations));
    }

    @GET
    @Path("/compare")
    @Operation(summary = "Baseline period against comparison period: the metrics, improvements and regressions")
    public Uni<PerformanceComparison> compare(
            @PathParam("workflowId") String workflowId,
            @QueryParam("baselineStart") String baselineStart,
            @QueryParam("baselineEnd") String baselineEnd,
            @QueryParam("comparisonStart") String comparisonStart,
            @QueryParam("comparisonEnd") String comparisonEnd) {
        TimeRange baseline = absolute("baselineStart", baselineStart, "baselineEnd", baselineEnd);
        TimeRange comparison = absolute("comparisonStart", comparisonStart, "comparisonEnd", comparisonEnd);
        UUID workflow = UUID.fromString(workflowId);
        return Uni.combine().all().unis(service.metrics(workflow, baseline), service.metrics(workflow, comparison))
                .with(PerformanceComparison::of);
    }

    /** Both ends required; problems name the parameter as the caller spelled it. */
    private static TimeRange absolute(String startName, String start, String endName, String end) {
        if (start == null || start.isBlank()) {
            throw ProblemException.invalid(startName, "is required");
        }
        if (end == null || end.isBlank()) {
            throw ProblemException.invalid(endName, "is required");
        }
        try {
            return TimeRanges.resolve(null, start, end, "24h", Instant.now());
        } catch (ProblemException e) {
            String field = e.errors().isEmpty() ? "start" : e.errors().get(0).field();
            throw ProblemException.invalid("end".equals(field) ? endName : startName,
                    e.errors().isEmpty() ? e.getMessage() : e.errors().get(0).message());
        }
    }
}
