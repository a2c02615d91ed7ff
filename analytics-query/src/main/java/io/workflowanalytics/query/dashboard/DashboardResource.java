package io.workflowanalytics.query.dashboard;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.problem.ProblemException;
import io.workflowanalytics.common.security.Roles;
import io.workflowanalytics.common.security.WorkflowAccess;
import io.workflowanalytics.common.web.QueryParams;
import io.workflowanalytics.query.cache.CacheKey;
import io.workflowanalytics.query.rollup.Granularity;
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

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Page 01, the analytics dashboard (spec: Get Dashboard Overview). */
@Path("/api/workflows/{workflowId}/analytics/dashboard")
@Tag(name = "Dashboard", description = "Overview, change on the previous period, trends, insights")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class DashboardResource {

    static final List<MetricType> DEFAULT_TRENDS = List.of(MetricType.EXECUTION_COUNT, MetricType.EXECUTION_TIME,
            MetricType.SUCCESS_RATE, MetricType.ERROR_RATE, MetricType.COST);

    private final DashboardService service;
    private final ViewSupport views;
    private final WorkflowAccess access;
    private final SecurityIdentity identity;

    public DashboardResource(DashboardService service, ViewSupport views, WorkflowAccess access,
                             SecurityIdentity identity) {
        this.service = service;
        this.views = views;
        this.access = access;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Dashboard overview of a workflow over a time range")
    public Uni<Response> dashboard(
            @PathParam("workflowId") String workflowId,
            @QueryParam("timeRange") @Parameter(description = "1h, 24h, 7d, 30d, 90d (default 24h)") String timeRange,
            @QueryParam("start") String start,
            @QueryParam("end") String end,
            @QueryParam("granularity") @Parameter(description = "hour, day, week or month; default hour up to 2 "
                    + "days, else day") String granularity,
            @QueryParam("metrics") @Parameter(description = "trend metrics, comma-separated and/or repeated; "
                    + "default execution_count, execution_time, success_rate, error_rate, cost") List<String> metrics) {
        ViewSupport.ViewRange range = views.range(timeRange, start, end, "24h");
        Granularity g = QueryParams.enumValue(Granularity.class, "granularity", granularity);
        if (g == Granularity.MINUTE) {
            throw ProblemException.invalid("granularity", "must be one of hour, day, week, month");
        }
        Granularity width = g != null ? g
                : range.range().duration().compareTo(Duration.ofDays(2)) > 0 ? Granularity.DAY : Granularity.HOUR;
        List<MetricType> trends = QueryParams.enumList(MetricType.class, "metrics", metrics, DEFAULT_TRENDS);
        Set<String> allowed = access.allowedWorkflows(identity);
        // The top-workflows list depends on what the caller may see: it is part of the key.
        String variant = width.wire() + ":" + trends.stream().map(MetricType::wire).reduce((a, b) -> a + "," + b)
                .orElse("") + ":" + fingerprint(allowed);
        return views.cached(CacheKey.dashboard(workflowId, range.label(), variant),
                () -> service.overview(UUID.fromString(workflowId), range.range(), width, trends, allowed));
    }

    /**
     * The caller's workflows as a SHA-256 of their sorted ids: callers who may see different workflows never share a
     * cached dashboard (a 32-bit hash of the set could collide, and one caller would see the other's top workflows).
     */
    static String fingerprint(Set<String> allowed) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (String id : new TreeSet<>(allowed)) {
                sha.update(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
