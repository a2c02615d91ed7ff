package io.workflowanalytics.query.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.persistence.JsonColumns;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.usage.PatternType;
import io.workflowanalytics.query.usage.UsageService;
import io.workflowanalytics.query.usage.UsageView;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

/**
 * Stores the period's UsagePattern rows: one of type {@code temporal} (hours of the day, weekdays, peak windows) and
 * one of type {@code seasonal} (weeks, months), each with the period's users and their segments and its geography;
 * the insights go in {@code predictions}.
 */
@ApplicationScoped
public class UsageAnalysisWriter implements AnalysisWriter {

    private static final String INSERT = """
            INSERT INTO usage_patterns (workflow_id, pattern_type, time_frame_start, time_frame_end, pattern_data,
                                        user_data, geographic_data, confidence, predictions)
            SELECT $1, $2::varchar, $3, $4, $5, $6, $7, $8, $9
            WHERE NOT EXISTS (SELECT 1 FROM usage_patterns WHERE workflow_id = $1 AND pattern_type = $2::varchar
                              AND time_frame_start = $3 AND time_frame_end = $4)""";

    private final UsageService usage;
    private final ObjectMapper json;

    public UsageAnalysisWriter(UsageService usage, ObjectMapper json) {
        this.usage = usage;
        this.json = json;
    }

    @Override
    public String type() {
        return "usage";
    }

    @Override
    public Uni<Integer> write(SqlClient tx, UUID workflow, TimeRange period) {
        return usage.analyse(workflow, period, EnumSet.allOf(PatternType.class), true).chain(view -> {
            List<Tuple> rows = new ArrayList<>();
            for (UsageView.PatternData pattern : view.temporalPatterns()) {
                rows.add(Tuple.tuple()
                        .addUUID(workflow)
                        .addString(pattern.patternType())
                        .addOffsetDateTime(period.start().atOffset(ZoneOffset.UTC))
                        .addOffsetDateTime(period.end().atOffset(ZoneOffset.UTC))
                        .addValue(JsonColumns.of(json, pattern))
                        .addValue(JsonColumns.of(json, view.userBehavior() == null ? List.of()
                                : view.userBehavior().users()))
                        .addValue(JsonColumns.of(json, view.geographicDistribution() == null ? List.of()
                                : view.geographicDistribution()))
                        .addValue(AnalysisWriter.confidence(view.usageOverview().totalExecutions()))
                        .addValue(JsonColumns.of(json, view.insights())));
            }
            // One statement per row: each reports whether it wrote its row.
            return Multi.createFrom().iterable(rows)
                    .onItem().transformToUniAndConcatenate(row -> tx.preparedQuery(INSERT).execute(row))
                    .collect().asList().map(results -> results.stream().mapToInt(r -> r.rowCount()).sum());
        });
    }
}
