package io.workflowanalytics.query.rollup;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestDatabase;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.testing.Dataset;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A workflow's executions per UTC hour of each day (day_hour_sums) hold every metric counted once, however often
 * its batch is applied, and give the hour-of-day sums of any range, edges included, exactly.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class DayHourSumsTest {

    @Inject
    RollupRepository repository;

    @Inject
    RollupReader reader;

    @Test
    void eachDaysSumsPerHourEqualTheBruteForceOnesAfterEveryBatchIsAppliedTwice() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(5, ChronoUnit.DAYS)
                .plus(Duration.ofMinutes(97));
        Dataset data = Dataset.generate(1204, 1500, start, Duration.ofDays(4));
        List<AnalyticsMetric> stream = data.metrics;
        int batches = 6;
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < batches; i++) {
                repository.apply(stream.subList(i * stream.size() / batches, (i + 1) * stream.size() / batches))
                        .await().atMost(Duration.ofSeconds(30));
            }
        }
        UUID workflow = UUID.fromString(data.workflowId);

        Map<LocalDate, BigDecimal[]> expected = new TreeMap<>();
        for (AnalyticsMetric m : executionCounts(stream)) {
            var t = m.timestamp().atZone(ZoneOffset.UTC);
            BigDecimal[] sums = expected.computeIfAbsent(t.toLocalDate(), d -> zeros());
            sums[t.getHour()] = sums[t.getHour()].add(RollupDelta.stored(m.value()));
        }
        Map<LocalDate, BigDecimal[]> stored = new TreeMap<>();
        for (String line : TestDatabase.column("SELECT day || '=' || array_to_string(sums, ',') FROM "
                + "query.day_hour_sums WHERE metric_type = 'execution_count' AND workflow_id = '" + workflow + "'")) {
            String[] cells = line.substring(line.indexOf('=') + 1).split(",");
            stored.put(LocalDate.parse(line.substring(0, line.indexOf('='))),
                    Arrays.stream(cells).map(BigDecimal::new).toArray(BigDecimal[]::new));
        }
        assertEquals(expected.keySet(), stored.keySet(), "one row per day with executions");
        expected.forEach((day, sums) -> assertEquals(plain(sums), plain(stored.get(day)), "hours of " + day));

        // A range with minutes, hours and whole days at both ends: the edges from their rollup rows, the days from
        // their rows of sums.
        TimeRange range = new TimeRange(start.plus(Duration.ofMinutes(1440 + 5 * 60 + 13)),
                start.plus(Duration.ofMinutes(3 * 1440 + 19 * 60 + 7)));
        BigDecimal[] inRange = zeros();
        for (AnalyticsMetric m : executionCounts(stream)) {
            if (!m.timestamp().isBefore(range.start()) && m.timestamp().isBefore(range.end())) {
                int hour = m.timestamp().atZone(ZoneOffset.UTC).getHour();
                inRange[hour] = inRange[hour].add(RollupDelta.stored(m.value()));
            }
        }
        BigDecimal[] read = reader.hourOfDaySums(workflow, MetricType.EXECUTION_COUNT, range)
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(plain(inRange), plain(read));
        assertThrows(IllegalArgumentException.class,
                () -> reader.hourOfDaySums(workflow, MetricType.COST, range), "not kept for costs");
    }

    private static List<AnalyticsMetric> executionCounts(List<AnalyticsMetric> metrics) {
        return metrics.stream().filter(m -> m.metricType() == MetricType.EXECUTION_COUNT).toList();
    }

    private static BigDecimal[] zeros() {
        BigDecimal[] out = new BigDecimal[24];
        Arrays.fill(out, BigDecimal.ZERO);
        return out;
    }

    /** Sums compared by value, not by scale. */
    private static List<String> plain(BigDecimal[] sums) {
        return Arrays.stream(sums).map(s -> s.stripTrailingZeros().toPlainString()).toList();
    }
}
