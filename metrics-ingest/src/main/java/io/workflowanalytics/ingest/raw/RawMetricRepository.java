package io.workflowanalytics.ingest.raw;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.events.AggregationLevel;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.MetricSource;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.persistence.JsonColumns;
import io.workflowanalytics.common.time.TimeRange;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Reads of ingest.analytics_metrics; the range predicate prunes partitions. */
@ApplicationScoped
public class RawMetricRepository {

    private static final String FIND = """
            SELECT id, workflow_id, metric_type, value, "timestamp", dimensions, tags, source, aggregation_level
            FROM analytics_metrics
            WHERE workflow_id = $1 AND "timestamp" >= $2 AND "timestamp" < $3
              AND ($4::varchar IS NULL OR metric_type = $4)
            ORDER BY "timestamp" DESC
            LIMIT $5""";

    private final Pool pool;

    public RawMetricRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<AnalyticsMetric>> find(String workflowId, TimeRange range, MetricType type, int limit) {
        Tuple params = Tuple.tuple()
                .addValue(UUID.fromString(workflowId))
                .addValue(range.start().atOffset(ZoneOffset.UTC))
                .addValue(range.end().atOffset(ZoneOffset.UTC))
                .addValue(type == null ? null : type.wire())
                .addValue(limit);
        return pool.preparedQuery(FIND).execute(params).map(rows -> {
            List<AnalyticsMetric> metrics = new ArrayList<>(rows.size());
            rows.forEach(row -> metrics.add(toMetric(row)));
            return metrics;
        });
    }

    @SuppressWarnings("unchecked")
    private static AnalyticsMetric toMetric(Row row) {
        String[] tags = row.getArrayOfStrings("tags");
        return new AnalyticsMetric(null, null, null,
                row.getUUID("id").toString(),
                row.getUUID("workflow_id").toString(),
                MetricType.valueOf(row.getString("metric_type").toUpperCase(Locale.ROOT)),
                row.getBigDecimal("value").doubleValue(),
                row.getOffsetDateTime("timestamp").toInstant(),
                (Map<String, Object>) JsonColumns.plain(row.getJson("dimensions")),
                tags == null ? List.of() : Arrays.asList(tags),
                MetricSource.valueOf(row.getString("source").toUpperCase(Locale.ROOT)),
                AggregationLevel.valueOf(row.getString("aggregation_level").toUpperCase(Locale.ROOT)));
    }
}
