package io.workflowanalytics.query.cache;

import java.time.Duration;

/**
 * A cache key of the spec (ANALYTICS_CACHE_KEYS) with its TTL (ANALYTICS_CACHE_TTL). Options that change a view
 * beyond its time range (such as {@code includeBottlenecks=false}) are appended as a further segment so that
 * differently shaped answers never share a key.
 */
public record CacheKey(String name, String workflowId, Duration ttl) {

    static final Duration MAX_TTL = Duration.ofHours(24);

    public static CacheKey dashboard(String workflowId, String timeRange, String variant) {
        return of("dashboard", workflowId, timeRange, variant, Duration.ofSeconds(300));
    }

    public static CacheKey performance(String workflowId, String timeRange, String variant) {
        return of("performance", workflowId, timeRange, variant, Duration.ofSeconds(600));
    }

    public static CacheKey usage(String workflowId, String timeRange, String variant) {
        return of("usage", workflowId, timeRange, variant, Duration.ofSeconds(1800));
    }

    public static CacheKey errors(String workflowId, String timeRange, String variant) {
        return of("errors", workflowId, timeRange, variant, Duration.ofSeconds(900));
    }

    public static CacheKey costs(String workflowId, String timeRange, String variant) {
        return of("costs", workflowId, timeRange, variant, Duration.ofSeconds(3600));
    }

    /**
     * analytics:aggregated:{metricType}:{workflowId}:{level}:{timestamp}, 24 h: a page of the data API, where
     * metricType lists the metrics asked for, level is the granularity, timestamp the range ({@code start_end}) and
     * the variant the page (limit and cursor).
     */
    public static CacheKey aggregated(String metricTypes, String workflowId, String level, String timestamp,
                                      String variant) {
        String id = canonical(workflowId);
        return new CacheKey("analytics:aggregated:" + metricTypes + ":" + id + ":" + level + ":" + timestamp
                + ":" + variant, id, Duration.ofSeconds(86400));
    }

    static String generation(String workflowId) {
        return "analytics:gen:" + workflowId;
    }

    static String index(String workflowId) {
        return "analytics:keys:" + workflowId;
    }

    private static CacheKey of(String view, String workflowId, String timeRange, String variant, Duration ttl) {
        String id = canonical(workflowId);
        String name = "analytics:" + view + ":" + id + ":" + timeRange
                + (variant == null || variant.isEmpty() ? "" : ":" + variant);
        return new CacheKey(name, id, ttl);
    }

    /**
     * The id as invalidation spells it (UUID.toString(): lower case). A path may spell it in capitals; keyed as
     * given, its views would escape invalidation and be served stale until their TTL.
     */
    private static String canonical(String workflowId) {
        return workflowId.toLowerCase(java.util.Locale.ROOT);
    }
}
