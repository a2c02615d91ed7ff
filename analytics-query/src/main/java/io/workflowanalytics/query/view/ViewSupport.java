package io.workflowanalytics.query.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.common.time.TimeRanges;
import io.workflowanalytics.query.cache.CacheKey;
import io.workflowanalytics.query.cache.ViewCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * What every analytics view resource does the same way: resolve the time range parameters, serve from the cache or
 * compute, and answer JSON with an {@code X-Cache: HIT|MISS} header (so callers and tests can see the cache work).
 */
@ApplicationScoped
public class ViewSupport {

    public static final String CACHE_HEADER = "X-Cache";

    private final ViewCache cache;
    private final ObjectMapper json;
    private final Clock clock;

    public ViewSupport(ViewCache cache, ObjectMapper json) {
        this.cache = cache;
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    /** A view's time range: {@code timeRange} ({@code 24h}, …) or {@code start}/{@code end}, default {@code fallback}. */
    public ViewRange range(String timeRange, String start, String end, String fallback) {
        TimeRange range = TimeRanges.resolve(timeRange, start, end, fallback, clock.instant());
        boolean relative = (start == null || start.isBlank()) && (end == null || end.isBlank());
        String label = relative ? (timeRange == null || timeRange.isBlank() ? fallback : timeRange.trim())
                : range.start() + "_" + range.end();
        return new ViewRange(range, label);
    }

    public <T> Uni<Response> cached(CacheKey key, Supplier<Uni<T>> compute) {
        return cache.getOrCompute(key, () -> compute.get().map(this::write))
                .map(lookup -> Response.ok(lookup.json(), MediaType.APPLICATION_JSON_TYPE)
                        .header(CACHE_HEADER, lookup.cached() ? "HIT" : "MISS").build());
    }

    private String write(Object view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("view not serialisable", e);
        }
    }

    /** A resolved range with the label its cache key carries ({@code 24h}, or {@code start_end}). */
    public record ViewRange(TimeRange range, String label) {
    }
}
