package io.workflowanalytics.query.rollup;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.Dimensions;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestDatabase;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.testing.BruteForce;
import io.workflowanalytics.query.testing.Dataset;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Month rollup rows: once a closed month is stored, a range over it reads its month rows and answers exactly what
 * its day rows answer and what the raw metrics say, including metrics that arrive after the month was filled
 * (redelivered too) and metrics stored while it is being filled.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class MonthRollupsTest {

    @Inject
    RollupRepository repository;

    @Inject
    RollupReader reader;

    @Inject
    RollupCompaction compaction;

    /** The first day of the month {@code back} months before this one: months no other test writes into. */
    private static LocalDate monthsBack(int back) {
        return LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(back);
    }

    private static Instant at(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    @Test
    void aRangeOverStoredMonthsAnswersAsItsDaysAndTheRawMetricsEvenWithLateAndRedeliveredMetrics() {
        LocalDate first = monthsBack(5);
        LocalDate second = first.plusMonths(1);
        Instant start = at(first).minus(Duration.ofDays(3)).plus(Duration.ofMinutes(97));
        Instant end = at(second.plusMonths(1)).plus(Duration.ofDays(4));
        Dataset data = Dataset.generate(1301, 2500, start, Duration.between(start, end));
        UUID workflow = UUID.fromString(data.workflowId);
        applyTwice(data.metrics, 8);

        compaction.fillMonth(first).await().atMost(Duration.ofMinutes(2));
        compaction.fillMonth(second).await().atMost(Duration.ofMinutes(2));
        assertTrue(StoredMonths.stored(at(first)) && StoredMonths.stored(at(second)));

        // Minute, hour and day edges on both sides of the two months.
        TimeRange range = new TimeRange(start.plus(Duration.ofMinutes(1440 + 5 * 60 + 13)),
                end.minus(Duration.ofMinutes(2 * 1440 + 7 * 60 + 3)));
        assertMonthRowsAnswerAsDaysAndRaw(workflow, data.metrics, range, 2);

        // Late metrics of both months after they were stored, each batch delivered twice: added to the month rows.
        Dataset late = Dataset.generate(1302, 400, at(first).plus(Duration.ofHours(30)),
                Duration.ofDays(first.lengthOfMonth() + 20));
        List<AnalyticsMetric> lateMetrics = late.metrics.stream().map(m -> retarget(m, data.workflowId)).toList();
        applyTwice(lateMetrics, 4);
        List<AnalyticsMetric> all = new ArrayList<>(data.metrics);
        all.addAll(lateMetrics);
        assertMonthRowsAnswerAsDaysAndRaw(workflow, all, range, 2);
    }

    @Test
    void metricsStoredWhileAMonthIsFilledAreCountedOnceInItsMonthRows() {
        LocalDate month = monthsBack(7);
        Instant start = at(month).minus(Duration.ofDays(1));
        Duration span = Duration.ofDays(month.lengthOfMonth() + 2);
        Dataset data = Dataset.generate(1303, 1500, start, span);
        UUID workflow = UUID.fromString(data.workflowId);
        // Half stored before, half in shuffled batches (each twice) while the month is filled.
        List<AnalyticsMetric> metrics = new ArrayList<>(data.metrics);
        Collections.shuffle(metrics, new java.util.Random(7));
        List<AnalyticsMetric> before = metrics.subList(0, metrics.size() / 2);
        List<AnalyticsMetric> during = metrics.subList(metrics.size() / 2, metrics.size());
        applyTwice(before, 4);

        List<Uni<Void>> writes = new ArrayList<>();
        int batches = 16;
        for (int i = 0; i < 2 * batches; i++) {
            int b = i % batches;
            writes.add(repository.apply(during.subList(b * during.size() / batches,
                    (b + 1) * during.size() / batches)).replaceWithVoid());
        }
        // Subscribed after the first batch, before the rest, all at once.
        writes.add(1, compaction.fillMonth(month).replaceWithVoid());
        Uni.join().all(writes).andFailFast().await().atMost(Duration.ofMinutes(2));

        TimeRange range = new TimeRange(start, start.plus(span));
        assertMonthRowsAnswerAsDaysAndRaw(workflow, data.metrics, range, 1);
    }

    /**
     * Every grouping of every metric type over the range, with its sketch, read through the stored months' rows and
     * through the days alone: the same; the whole workflow's and each user's figures also against the raw metrics.
     */
    private void assertMonthRowsAnswerAsDaysAndRaw(UUID workflow, List<AnalyticsMetric> metrics, TimeRange range,
                                                   int months) {
        RangePlan withMonths = RangePlan.of(range);
        RangePlan daysOnly = RangePlan.of(range, RollupLevel.DAY);
        long monthsRead = withMonths.parts().stream().filter(p -> p.level() == RollupLevel.MONTH)
                .mapToLong(p -> java.time.temporal.ChronoUnit.MONTHS.between(RollupLevel.month(p.from()),
                        RollupLevel.month(p.to()))).sum();
        assertEquals(months, monthsRead, withMonths.toString());
        assertEquals(withMonths.range(), daysOnly.range());
        long monthRows = TestDatabase.count("SELECT count(*) FROM query.metric_rollups WHERE level = 'month' "
                + "AND workflow_id = '" + workflow + "'");
        assertTrue(monthRows > 100, "month rows: " + monthRows);

        List<String> groupings = TestDatabase.column("SELECT DISTINCT metric_type || '|' || dim_key FROM "
                + "query.metric_rollups WHERE workflow_id = '" + workflow + "'");
        assertTrue(groupings.size() > 10, groupings.toString());
        for (String grouping : groupings) {
            MetricType type = MetricType.valueOf(grouping.substring(0, grouping.indexOf('|')).toUpperCase());
            String dimKey = grouping.substring(grouping.indexOf('|') + 1);
            Map<String, Aggregate> fromMonths = await(reader.byGroup(workflow, type, dimKey, withMonths, true));
            Map<String, Aggregate> fromDays = await(reader.byGroup(workflow, type, dimKey, daysOnly, true));
            assertEquals(fromDays.keySet(), fromMonths.keySet(), grouping);
            fromDays.forEach((value, a) -> assertSame(a, fromMonths.get(value), grouping + "=" + value));
        }

        Instant from = withMonths.start();
        Instant to = withMonths.end();
        List<AnalyticsMetric> times = select(metrics, MetricType.EXECUTION_TIME, from, to, true);
        Aggregate whole = await(reader.whole(workflow, MetricType.EXECUTION_TIME, withMonths, true));
        assertEquals(times.size(), whole.count());
        assertEquals(0, BruteForce.sum(times).compareTo(whole.sum()), whole.sum() + " vs " + BruteForce.sum(times));
        for (double q : new double[] {0.5, 0.95, 0.99}) {
            double exact = BruteForce.quantile(times, q);
            assertEquals(exact, whole.quantile(q), exact * QuantileSketch.RELATIVE_ACCURACY, "p" + q * 100);
        }

        Map<String, Long> perUser = new TreeMap<>();
        for (AnalyticsMetric m : select(metrics, MetricType.EXECUTION_COUNT, from, to, true)) {
            perUser.merge((String) m.dimensions().get(Dimensions.USER_ID), 1L, Long::sum);
        }
        Map<String, Long> readPerUser = new TreeMap<>();
        await(reader.byGroups(workflow, MetricType.EXECUTION_COUNT, List.of(Dimensions.USER_ID), withMonths))
                .get(Dimensions.USER_ID).forEach((user, a) -> readPerUser.put(user, a.count()));
        assertEquals(perUser, readPerUser);
        assertEquals(perUser.size(), await(reader.distinct(workflow, MetricType.EXECUTION_COUNT, Dimensions.USER_ID,
                withMonths)));

        // Month by month, the stored months from their rows, the partial months at the ends from days and finer.
        Map<Instant, Long> monthly = new TreeMap<>();
        for (AnalyticsMetric m : select(metrics, MetricType.EXECUTION_COUNT, from, to, true)) {
            monthly.merge(RollupLevel.MONTH.bucket(m.timestamp()), 1L, Long::sum);
        }
        Map<Instant, Long> series = new TreeMap<>();
        await(reader.series(workflow, MetricType.EXECUTION_COUNT, Groupings.WHOLE, "", range, Granularity.MONTH))
                .forEach(p -> series.put(p.bucket(), p.aggregate().count()));
        assertEquals(monthly, series);

        // Hour of the day: whole months from day_hour_sums, as whole days are.
        BigDecimal[] hours = new BigDecimal[24];
        java.util.Arrays.fill(hours, BigDecimal.ZERO);
        for (AnalyticsMetric m : select(metrics, MetricType.EXECUTION_COUNT, from, to, true)) {
            int hour = m.timestamp().atZone(ZoneOffset.UTC).getHour();
            hours[hour] = hours[hour].add(RollupDelta.stored(m.value()));
        }
        BigDecimal[] read = await(reader.hourOfDaySums(workflow, MetricType.EXECUTION_COUNT, range));
        for (int h = 0; h < 24; h++) {
            assertEquals(0, hours[h].compareTo(read[h]), "hour " + h + ": " + read[h] + " vs " + hours[h]);
        }
    }

    private static void assertSame(Aggregate expected, Aggregate actual, String what) {
        assertEquals(expected.count(), actual.count(), what);
        assertEquals(0, expected.sum().compareTo(actual.sum()), what + ": " + actual.sum() + " vs " + expected.sum());
        assertEquals(expected.sumOfSquares(), actual.sumOfSquares(), Math.abs(expected.sumOfSquares()) * 1e-12, what);
        assertEquals(expected.min(), actual.min(), what);
        assertEquals(expected.max(), actual.max(), what);
        for (double q : new double[] {0.5, 0.95, 0.99}) {
            assertEquals(expected.quantile(q), actual.quantile(q), what + " p" + q * 100);
        }
    }

    /** Metrics of a type in [from, to); whole workflow: only those without a node. */
    private static List<AnalyticsMetric> select(List<AnalyticsMetric> metrics, MetricType type, Instant from,
                                                Instant to, boolean wholeWorkflow) {
        return metrics.stream().filter(m -> m.metricType() == type && !m.timestamp().isBefore(from)
                && m.timestamp().isBefore(to) && (!wholeWorkflow || !m.dimensions().containsKey(Dimensions.NODE_ID)))
                .toList();
    }

    private void applyTwice(List<AnalyticsMetric> metrics, int batches) {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < batches; i++) {
                repository.apply(metrics.subList(i * metrics.size() / batches, (i + 1) * metrics.size() / batches))
                        .await().atMost(Duration.ofSeconds(60));
            }
        }
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(30));
    }

    private static AnalyticsMetric retarget(AnalyticsMetric m, String workflowId) {
        return new AnalyticsMetric(m.eventId(), 1, m.occurredAt(), m.id(), workflowId, m.metricType(), m.value(),
                m.timestamp(), m.dimensions(), m.tags(), m.source(), m.aggregationLevel());
    }
}
