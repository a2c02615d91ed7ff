package io.workflowanalytics.query.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.persistence.JsonColumns;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.usage.PatternType;
import io.workflowanalytics.query.usage.UsageService;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

/**
 * Stores a UsagePattern row of type {@code temporal}: the period's distributions and peak windows, its users with
 * their segments and its geography; the insights go in {@code predictions}.
 */
@ApplicationScoped
public class UsageAnalysisWriter implements AnalysisWriter {

    private static final String INSERT = """
            INSERT INTO usage_patterns (workflow_id, pattern_type, time_frame_start, time_frame_end, pattern_data,
                                        user_data, geographic_data, confidence, predictions)
            SELECT $1, 'temporal', $2, $3, $4, $5, $6, $7, $8
            WHERE NOT EXISTS (SELECT 1 FROM usage_patterns WHERE workflow_id = $1 AND pattern_type = 'temporal'
                              AND time_frame_start = $2 AND time_frame_end = $3)""";

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
    public Uni<Boolean> write(SqlClient tx, UUID workflow, TimeRange period) {
        return usage.analyse(workflow, period, EnumSet.allOf(PatternType.class), true).chain(view -> {
            Tuple row = Tuple.tuple()
                    .addUUID(workflow)
                    .addOffsetDateTime(period.start().atOffset(ZoneOffset.UTC))
                    .addOffsetDateTime(period.end().atOffset(ZoneOffset.UTC))
                    .addValue(JsonColumns.of(json, view.temporalPatterns()))
                    .addValue(JsonColumns.of(json, view.userBehavior() == null ? List.of() : view.userBehavior().users()))
                    .addValue(JsonColumns.of(json, view.geographicDistribution() == null ? List.of()
                            : view.geographicDistribution()))
                    .addValue(AnalysisWriter.confidence(view.usageOverview().totalExecutions()))
                    .addValue(JsonColumns.of(json, view.insights()));
            return tx.preparedQuery(INSERT).execute(row).map(r -> r.rowCount() == 1);
        });
    }
}
