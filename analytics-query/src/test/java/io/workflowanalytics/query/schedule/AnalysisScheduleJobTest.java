package io.workflowanalytics.query.schedule;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.config.JsonPathConfig;
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
        Views.await(data.workflowId, "/performance", Map.of("start", period.start().toString(), "end",
                period.end().toString()), json -> number(json, "performanceMetrics.totalExecutions") == 200);

        int written = job.run(period).await().atMost(Duration.ofSeconds(60));
        assertTrue(written >= 4, "rows written: " + written);
        assertEquals(0, job.run(period).await().atMost(Duration.ofSeconds(60)), "a second run repeats nothing");

        String where = " WHERE workflow_id = '" + data.workflowId + "' AND time_range_start = '" + period.start()
                + "' AND time_range_end = '" + period.end() + "'";
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM query.performance_analyses" + where));
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM query.error_analyses" + where));
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM query.cost_analyses" + where));
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM query.usage_patterns WHERE workflow_id = '"
                + data.workflowId + "' AND time_frame_start = '" + period.start() + "' AND time_frame_end = '"
                + period.end() + "'"));
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
    }
}
