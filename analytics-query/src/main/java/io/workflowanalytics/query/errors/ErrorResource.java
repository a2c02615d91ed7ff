package io.workflowanalytics.query.errors;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.security.Roles;
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

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Page 04, error analysis (spec: Get Error Analytics). */
@Path("/api/workflows/{workflowId}/analytics/errors")
@Tag(name = "Errors", description = "Error rates, categories, trends, root causes and recovery")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class ErrorResource {

    private final ErrorService service;
    private final ViewSupport views;

    public ErrorResource(ErrorService service, ViewSupport views) {
        this.service = service;
        this.views = views;
    }

    @GET
    @Operation(summary = "Error analysis over a time range: categories, trends, root causes, time to recovery")
    public Uni<Response> errors(
            @PathParam("workflowId") String workflowId,
            @QueryParam("timeRange") @Parameter(description = "1h, 24h, 7d, 30d, 90d (default 7d)", example = "7d")
            String timeRange,
            @QueryParam("start") @Parameter(description = "ISO start instead of timeRange",
                    example = "2026-11-01T00:00:00Z") String start,
            @QueryParam("end") @Parameter(description = "ISO end (exclusive)", example = "2026-11-08T00:00:00Z")
            String end,
            @QueryParam("severity") @Parameter(description = "Keep only categories and recent critical errors of "
                    + "these severities: low, medium, high, critical (comma-separated or repeated)",
                    example = "high,critical") List<String> severity,
            @QueryParam("includeRootCause") @Parameter(description = "true (default) or false", example = "true")
            String includeRootCause) {
        ViewSupport.ViewRange range = views.range(timeRange, start, end, "7d");
        Set<ErrorSeverity> severities = severities(severity);
        boolean rootCause = QueryParams.bool("includeRootCause", includeRootCause, true);
        // e.g. "high-critical", "nrc" (no root cause) or "high-critical_nrc": one key per shape of answer.
        String filter = severities.stream().map(ErrorSeverity::wire).collect(Collectors.joining("-"));
        String variant = filter + (rootCause ? "" : (filter.isEmpty() ? "" : "_") + "nrc");
        return views.cached(CacheKey.errors(workflowId, range.label(), variant),
                () -> service.analyse(UUID.fromString(workflowId), range.range(), severities, rootCause));
    }

    /** Comma-separated, or repeated (joined here); none means no filter. Unknown names: 400 per item. */
    static Set<ErrorSeverity> severities(List<String> values) {
        Set<ErrorSeverity> out = EnumSet.noneOf(ErrorSeverity.class);
        out.addAll(QueryParams.enumList(ErrorSeverity.class, "severity", values, List.of()));
        return out;
    }
}
