package io.workflowanalytics.query.usage;

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

/** Page 03, usage patterns (spec: Get Usage Analytics). */
@Path("/api/workflows/{workflowId}/analytics/usage")
@Tag(name = "Usage", description = "When, by whom, where and with which version a workflow is used")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class UsageResource {

    private final UsageService service;
    private final ViewSupport views;

    public UsageResource(UsageService service, ViewSupport views) {
        this.service = service;
        this.views = views;
    }

    @GET
    @Operation(summary = "Usage patterns over a time range: temporal profiles and peaks, user segments, geography, "
            + "devices, version adoption and insights")
    public Uni<Response> usage(
            @PathParam("workflowId") String workflowId,
            @QueryParam("timeRange") @Parameter(description = "1h, 24h, 7d, 30d, 90d (default 30d)") String timeRange,
            @QueryParam("start") @Parameter(description = "ISO start instead of timeRange") String start,
            @QueryParam("end") @Parameter(description = "ISO end (exclusive)") String end,
            @QueryParam("patternTypes") @Parameter(description = "comma-separated subset of temporal, user_behavior, "
                    + "geographic, seasonal, feature_adoption (default all)", example = "temporal,geographic")
            List<String> patternTypes,
            @QueryParam("includeUserSegmentation") @Parameter(description = "segments and top users (default true)")
            String includeUserSegmentation) {
        ViewSupport.ViewRange range = views.range(timeRange, start, end, "30d");
        Set<PatternType> types = patternTypes(patternTypes);
        boolean segmentation = QueryParams.bool("includeUserSegmentation", includeUserSegmentation, true);
        String variant = variant(types, segmentation);
        return views.cached(CacheKey.usage(workflowId, range.label(), variant),
                () -> service.analyse(UUID.fromString(workflowId), range.range(), types, segmentation));
    }

    /** Comma-separated and/or repeated; none means all; unknown names are a 400 naming patternTypes. */
    static Set<PatternType> patternTypes(List<String> values) {
        Set<PatternType> out = EnumSet.noneOf(PatternType.class);
        out.addAll(QueryParams.enumList(PatternType.class, "patternTypes", values, List.of(PatternType.values())));
        return out;
    }

    /** Non-default options as a cache key segment, in a fixed order so equal requests share an entry. */
    static String variant(Set<PatternType> types, boolean segmentation) {
        String parts = types.size() == PatternType.values().length ? ""
                : types.stream().map(PatternType::wire).collect(Collectors.joining(","));
        String options = segmentation ? "" : "nseg";
        return parts.isEmpty() || options.isEmpty() ? parts + options : parts + "|" + options;
    }
}
