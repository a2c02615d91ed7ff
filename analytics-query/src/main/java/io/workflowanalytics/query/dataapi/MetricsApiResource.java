package io.workflowanalytics.query.dataapi;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.problem.ProblemException;
import io.workflowanalytics.common.security.Roles;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.common.time.TimeRanges;
import io.workflowanalytics.common.web.QueryParams;
import io.workflowanalytics.query.cache.CacheKey;
import io.workflowanalytics.query.dataapi.MetricsPage.MetricDataPoint;
import io.workflowanalytics.query.dataapi.MetricsPage.PaginationInfo;
import io.workflowanalytics.query.dataapi.MetricsPage.QueryMetadata;
import io.workflowanalytics.query.rollup.Granularity;
import io.workflowanalytics.query.rollup.Groupings;
import io.workflowanalytics.query.rollup.RangePlan;
import io.workflowanalytics.query.rollup.RollupReader;
import io.workflowanalytics.query.view.ViewSupport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The public data API (spec: Get Analytics Data via API): whole-workflow metric series from the rollups, as JSON
 * pages or CSV, ordered by metric (in the order asked) then time, with keyset cursors.
 */
@Path("/api/v1/analytics/workflows/{workflowId}/metrics")
@Tag(name = "Data API", description = "Metric series for integrations, JSON or CSV")
@RolesAllowed(Roles.VIEWER)
public class MetricsApiResource {

    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    static final String CSV_HEADER = "timestamp,metric,value,count,sum,min,max,p50,p95,p99\n";

    private final RollupReader rollups;
    private final ViewSupport views;

    public MetricsApiResource(RollupReader rollups, ViewSupport views) {
        this.rollups = rollups;
        this.views = views;
    }

    @GET
    @Produces({"application/json", "text/csv"})
    @Operation(summary = "Metric series of a workflow at a granularity, paginated; format=csv for CSV")
    public Uni<Response> metrics(
            @PathParam("workflowId") String workflowId,
            @QueryParam("metrics") @Parameter(description = "metric types, comma-separated and/or repeated; "
                    + "default all") List<String> metrics,
            @QueryParam("start_date") @Parameter(description = "ISO instant or date; default 24 h ago") String start,
            @QueryParam("end_date") @Parameter(description = "ISO instant or date (exclusive); default now") String end,
            @QueryParam("granularity") @Parameter(description = "minute, hour (default), day, week, month")
            String granularity,
            @QueryParam("format") @Parameter(description = "json (default) or csv") String format,
            @QueryParam("limit") @Parameter(description = "points per page, 1–10000, default 1000") String limit,
            @QueryParam("cursor") @Parameter(description = "nextCursor of the previous page") String cursor) {
        long began = System.nanoTime();
        List<MetricType> types = QueryParams.enumList(MetricType.class, "metrics", metrics,
                List.of(MetricType.values()));
        TimeRange range = dates(start, end);
        Granularity width = QueryParams.enumValue(Granularity.class, "granularity", granularity);
        Granularity g = width == null ? Granularity.HOUR : width;
        boolean csv = "csv".equals(format);
        if (format != null && !format.isBlank() && !csv && !"json".equals(format)) {
            throw ProblemException.invalid("format", "must be json or csv");
        }
        if (g == Granularity.MINUTE && range.duration().compareTo(Duration.ofDays(7)) > 0) {
            throw ProblemException.invalid("granularity", "minute granularity covers at most 7 days");
        }
        int pageSize = limit(limit);
        Cursor after = Cursor.decode(cursor, types.size());
        if (csv) {
            return page(workflowId, types, range, g, pageSize, after, began, true);
        }
        // JSON pages are cached (CSV exports are computed each time); new data for the workflow drops them.
        TimeRange answered = RangePlan.of(range).range(); // minute resolution: stable keys within a minute
        CacheKey key = CacheKey.aggregated(types.stream().map(MetricType::wire).collect(Collectors.joining(",")),
                workflowId, g.wire(), answered.start() + "_" + answered.end(),
                pageSize + ":" + (after == null ? "" : after.encode()));
        return views.cached(key, () -> page(workflowId, types, range, g, pageSize, after, began, false)
                .map(Response::getEntity));
    }

    private Uni<Response> page(String workflowId, List<MetricType> types, TimeRange window, Granularity g,
                               int pageSize, Cursor after, long began, boolean csv) {
        UUID workflow = UUID.fromString(workflowId);
        return rollups.series(workflow, types, Groupings.WHOLE, "", window, g, true).map(series -> {
            List<MetricDataPoint> all = new ArrayList<>();
            List<Cursor> keys = new ArrayList<>();
            for (int m = 0; m < types.size(); m++) {
                for (RollupReader.Point p : series.get(types.get(m))) {
                    keys.add(new Cursor(m, p.bucket()));
                    var a = p.aggregate();
                    all.add(new MetricDataPoint(p.bucket().toString(), types.get(m).wire(), a.mean(), a.count(),
                            a.total(), a.min(), a.max(), a.quantile(0.5), a.quantile(0.95), a.quantile(0.99)));
                }
            }
            int from = 0;
            if (after != null) {
                while (from < keys.size() && !keys.get(from).isAfter(after)) {
                    from++;
                }
            }
            int to = Math.min(all.size(), from + pageSize);
            boolean more = to < all.size();
            String next = more ? keys.get(to - 1).encode() : null;
            List<MetricDataPoint> page = all.subList(from, to);
            long tookMs = (System.nanoTime() - began) / 1_000_000;
            if (csv) {
                Response.ResponseBuilder r = Response.ok(csv(page), "text/csv");
                return (next == null ? r : r.header("X-Next-Cursor", next)).build();
            }
            QueryMetadata meta = new QueryMetadata(workflowId, types.stream().map(MetricType::wire).toList(),
                    window.start().toString(), window.end().toString(), g.wire(), "rollups", all.size(),
                    Instant.now().toString(), tookMs);
            return Response.ok(new MetricsPage(page, meta, new PaginationInfo(pageSize, more, next)),
                    "application/json").build();
        });
    }

    /** start_date/end_date, named as such in problems; the last 24 h when neither is given. */
    private static TimeRange dates(String start, String end) {
        try {
            return TimeRanges.resolve(null, start, end, "24h", Instant.now());
        } catch (ProblemException e) {
            String field = e.errors().isEmpty() ? "start" : e.errors().get(0).field();
            throw ProblemException.invalid(field + "_date", e.errors().isEmpty() ? e.getMessage()
                    : e.errors().get(0).message().replace("start", "start_date").replace("end", "end_date"));
        }
    }

    private static String csv(List<MetricDataPoint> page) {
        StringBuilder sb = new StringBuilder(CSV_HEADER);
        for (MetricDataPoint p : page) {
            sb.append(p.timestamp()).append(',').append(p.metric()).append(',').append(p.value()).append(',')
                    .append(p.count()).append(',').append(p.sum()).append(',').append(p.min()).append(',')
                    .append(p.max()).append(',').append(p.p50()).append(',').append(p.p95()).append(',')
                    .append(p.p99()).append('\n');
        }
        return sb.toString();
    }

    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the problem
        }
        throw ProblemException.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    /** Position after which the next page starts: the metric's index in the request and the bucket. */
    record Cursor(int metric, Instant bucket) {

        boolean isAfter(Cursor other) {
            return metric != other.metric ? metric > other.metric : bucket.isAfter(other.bucket);
        }

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((metric + "|" + bucket).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor, int metrics) {
            if (cursor == null || cursor.isBlank()) {
                return null;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8)
                        .split("\\|", 2);
                int metric = Integer.parseInt(parts[0]);
                if (metric < 0 || metric >= metrics) {
                    throw new IllegalArgumentException("metric index");
                }
                return new Cursor(metric, Instant.parse(parts[1]));
            } catch (RuntimeException e) {
                throw ProblemException.invalid("cursor", "is not a cursor this query returned");
            }
        }
    }
}
