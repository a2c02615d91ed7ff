package io.workflowanalytics.query.schedule;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.config.JsonPathConfig;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestDatabase;
import io.workflowanalytics.common.testing.TestTokens;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.testing.BruteForce;
import io.workflowanalytics.query.testing.Dataset;
import io.workflowanalytics.query.testing.Views;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.workflowanalytics.query.testing.Views.number;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduled analyses store each configured analysis once per workflow and period, from the rollups. */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class AnalysisScheduleJobTest {

    @Inject
    AnalysisScheduleJob job;

    @Test
    void storesEachAnalysisOnceForEveryActiveWorkflowOfThePeriod() {
        Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(3, ChronoUnit.DAYS);
        Dataset data = Dataset.generate(77, 200, day.plus(Duration.ofHours(2)), Duration.ofHours(20));
        data.send();
        TimeRange period = new TimeRange(day, day.plus(1, ChronoUnit.DAYS));
        // The day before: 150 executions of the same workflow, for the stored trends.
        Dataset before = Dataset.generate(78, 150, day.minus(Duration.ofHours(22)), Duration.ofHours(20));
        data.send(before.metrics.stream().map(m -> new AnalyticsMetric(m.eventId(), 1, m.occurredAt(), m.id(),
                data.workflowId, m.metricType(), m.value(), m.timestamp(), m.dimensions(), m.tags(), m.source(),
                m.aggregationLevel())).toList(), List.of());
        Views.await(data.workflowId, "/performance", Map.of("start", period.start().toString(), "end",
                period.end().toString()), json -> number(json, "performanceMetrics.totalExecutions") == 200);
        Views.await(data.workflowId, "/performance", Map.of("start", period.previous().start().toString(), "end",
                period.start().toString()), json -> number(json, "performanceMetrics.totalExecutions") == 150);

        // Alerts of the workflow: an error-rate spike in the period is the error analysis's; one the day before and
        // a performance alert are not.
        String spike = java.util.UUID.randomUUID().toString();
        TestDatabase.execute("INSERT INTO query.alerts (id, workflow_id, rule_id, type, severity, title, description, "
                + "\"timestamp\", status, value, threshold) VALUES "
                + "('" + spike + "', '" + data.workflowId + "', gen_random_uuid(), 'error_rate_spike', 'critical', "
                + "'Error rate 12 %', 'spike', '" + day.plus(Duration.ofHours(5)) + "', 'resolved', 0.12, 0.05), "
                + "(gen_random_uuid(), '" + data.workflowId + "', gen_random_uuid(), 'system_failure', 'critical', "
                + "'Down', 'before', '" + day.minus(Duration.ofHours(1)) + "', 'resolved', NULL, NULL), "
                + "(gen_random_uuid(), '" + data.workflowId + "', gen_random_uuid(), 'performance_degradation', "
                + "'warning', 'Slow', 'slow', '" + day.plus(Duration.ofHours(6)) + "', 'resolved', 900, 600)");

        int written = job.run(period).await().atMost(Duration.ofSeconds(60));
        // Performance, errors, costs, and usage as a temporal and a seasonal pattern; other workflows' rows too.
        assertTrue(written >= 5, "rows written: " + written);
        assertEquals(0, job.run(period).await().atMost(Duration.ofSeconds(60)), "a second run repeats nothing");

        String where = " WHERE workflow_id = '" + data.workflowId + "' AND time_range_start = '" + period.start()
                + "' AND time_range_end = '" + period.end() + "'";
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM query.performance_analyses" + where));
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM query.error_analyses" + where));
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM query.cost_analyses" + where));
        String patterns = " FROM query.usage_patterns WHERE workflow_id = '" + data.workflowId
                + "' AND time_frame_start = '" + period.start() + "' AND time_frame_end = '" + period.end() + "'";
        assertEquals(2, TestDatabase.count("SELECT count(*)" + patterns));
        assertEquals(1, TestDatabase.count("SELECT count(*)" + patterns + " AND pattern_type = 'temporal' AND "
                + "jsonb_array_length(pattern_data->'hourlyDistribution') = 24"));
        assertEquals(1, TestDatabase.count("SELECT count(*)" + patterns + " AND pattern_type = 'seasonal' AND "
                + "jsonb_array_length(pattern_data->'weeklyDistribution') = 1"));
        // The executions of the period by hour of day, stored, add up to the period's 200.
        assertEquals(200, TestDatabase.count("SELECT sum(h::bigint)" + patterns.replace(" FROM query.usage_patterns",
                " FROM query.usage_patterns, jsonb_array_elements_text(pattern_data->'hourlyDistribution') h")
                + " AND pattern_type = 'temporal'"));
        assertEquals(1, TestDatabase.count("SELECT jsonb_array_length(alerts) FROM query.error_analyses" + where));
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM query.error_analyses" + where
                + " AND alerts->0->>'id' = '" + spike + "' AND alerts->0->>'type' = 'error_rate_spike'"
                + " AND (alerts->0->>'value')::float8 = 0.12"));
        long errors = BruteForce.sum(data.select(MetricType.ERROR_RATE, period.start(), period.end(),
                Dataset.workflowLevel())).longValue();
        assertEquals(errors, TestDatabase.count("SELECT total_errors FROM query.error_analyses" + where));
        long costMicros = BruteForce.sum(data.select(MetricType.COST, period.start(), period.end(),
                Dataset.workflowLevel())).setScale(4, java.math.RoundingMode.HALF_UP).movePointRight(4).longValue();
        assertEquals(costMicros, TestDatabase.count("SELECT (total_cost * 10000)::bigint FROM query.cost_analyses"
                + where));
        double mean = BruteForce.mean(data.select(MetricType.EXECUTION_TIME, period.start(), period.end(),
                Dataset.workflowLevel()));
        var stored = given().auth().oauth2(TestTokens.viewerOf(data.workflowId))
                .when().get("/api/workflows/{id}/analytics/history/performance", data.workflowId).then()
                .statusCode(200).body("$", hasSize(1)).body("[0].metrics.totalExecutions", equalTo(200))
                .extract().jsonPath(JsonPathConfig.jsonPathConfig()
                        .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
        Views.assertExact(mean, number(stored, "[0].metrics.averageExecutionTime"), "stored average");
        // Trends: each headline metric from the day before to this one; 5 % either way is stable.
        double previousMean = BruteForce.mean(before.select(MetricType.EXECUTION_TIME, period.previous().start(),
                period.start(), Dataset.workflowLevel()));
        String time = "[0].trends.find { it.metric == 'averageExecutionTime' }.";
        Views.assertExact(previousMean, number(stored, time + "previous"), "previous average");
        Views.assertExact(mean, number(stored, time + "current"), "current average");
        double change = (mean - previousMean) / previousMean;
        assertEquals(Math.abs(change) <= 0.05 ? "stable" : change < 0 ? "improving" : "degrading",
                stored.getString(time + "direction"));
        String throughput = "[0].trends.find { it.metric == 'throughput' }.";
        assertEquals("improving", stored.getString(throughput + "direction"), "200 executions a day after 150");
        Views.assertExact(100.0 * (200 - 150) / 150, number(stored, throughput + "changePercent"), "throughput");
        assertEquals(8, stored.getList("[0].trends").size());
    }
}
