package io.workflowanalytics.query.rollup;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestDatabase;
import io.workflowanalytics.query.testing.Dataset;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A closed day's hour and day rows, rewritten in key order, hold exactly what they held, lie together on few pages,
 * and nothing else moves; its sums per hour of the day are rewritten with them, unchanged.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class RollupCompactionTest {

    private static final String ROWS = "SELECT metric_type || '|' || dim_key || '|' || level || '|' || bucket || '|' "
            + "|| dim_value || '=' || count || '|' || sum || '|' || sum_sq || '|' || min || '|' || max || '|' || "
            + "coalesce(sketch::text, '') || '@' || ctid FROM query.metric_rollups WHERE workflow_id = ";

    @Inject
    RollupRepository repository;

    @Inject
    RollupCompaction compaction;

    @Test
    void aClosedDaysRowsKeepTheirTotalsAndLieTogetherAfterTheRewrite() {
        Instant now = Instant.now();
        Instant start = now.truncatedTo(ChronoUnit.DAYS).minus(3, ChronoUnit.DAYS);
        Dataset data = Dataset.generate(1203, 900, start, Duration.between(start, now));
        // Batch after batch in time order, as the consumer meets a stream: each creates the rows of the dimension
        // values it brings, beside the rows of the batches before it.
        int batches = 24;
        List<AnalyticsMetric> stream = data.metrics;
        for (int i = 0; i < batches; i++) {
            repository.apply(stream.subList(i * stream.size() / batches, (i + 1) * stream.size() / batches))
                    .await().atMost(Duration.ofSeconds(30));
        }
        UUID workflow = UUID.fromString(data.workflowId);
        LocalDate day = LocalDate.ofInstant(start, ZoneOffset.UTC).plusDays(1);
        String ofDay = " AND level IN ('hour', 'day') AND bucket >= '" + day + "T00:00:00Z' AND bucket < '"
                + day.plusDays(1) + "T00:00:00Z'";
        Map<String, String[]> before = rows(workflow);
        long dayRows = TestDatabase.count("SELECT count(*) FROM query.metric_rollups WHERE workflow_id = '"
                + workflow + "'" + ofDay);
        long pagesBefore = pages(workflow, ofDay);
        assertTrue(dayRows > 300, "rows of the day: " + dayRows);

        String hourSums = "SELECT coalesce(string_agg(metric_type || ' ' || day || ' ' || sums::text, ';' "
                + "ORDER BY metric_type, day), '') FROM query.day_hour_sums WHERE workflow_id = '" + workflow + "'";
        String hourSumsBefore = TestDatabase.column(hourSums).get(0);
        assertTrue(hourSumsBefore.contains(" " + day + " "), "the day's sums per hour: " + hourSumsBefore);

        Map<LocalDate, Long> moved = compaction.rewrite(day, day, workflow).await().atMost(Duration.ofSeconds(30));

        assertEquals(hourSumsBefore, TestDatabase.column(hourSums).get(0), "every day's sums per hour, unchanged");

        assertEquals(Map.of(day, dayRows), moved);
        Map<String, String[]> after = rows(workflow);
        assertEquals(before.keySet(), after.keySet(), "the same rows");
        int movedRows = 0;
        for (Map.Entry<String, String[]> row : before.entrySet()) {
            String[] current = after.get(row.getKey());
            assertEquals(row.getValue()[0], current[0], "totals and sketch of " + row.getKey());
            boolean ofTheDay = row.getKey().contains("|" + day + " ") && !row.getKey().contains("|minute|");
            if (ofTheDay) {
                movedRows++;
            } else {
                assertEquals(row.getValue()[1], current[1], "a row of another day or level stays where it was: "
                        + row.getKey());
            }
        }
        assertEquals(dayRows, movedRows);
        long pagesAfter = pages(workflow, ofDay);
        // ~180 bytes a row at fillfactor 70: more than 20 rows a page; before, the batches had spread them.
        assertTrue(pagesAfter <= dayRows / 20 + 2, pagesAfter + " pages for " + dayRows + " rows");
        assertTrue(pagesAfter < pagesBefore, pagesAfter + " pages after, " + pagesBefore + " before");
    }

    @Test
    void aWorkflowsUsersDailyCountsKeepTheirCountsAndLieTogetherAfterTheRewrite() {
        // Free space left across the table by earlier runs' rewrites (the database outlives a test run) would take
        // the rewritten rows wherever the free space map points: the rewrite is measured on a table without it.
        TestDatabase.execute("VACUUM FULL query.user_hours");
        Instant now = Instant.now();
        Instant start = now.truncatedTo(ChronoUnit.DAYS).minus(6, ChronoUnit.DAYS);
        Dataset data = Dataset.generate(1205, 1200, start, Duration.ofDays(5));
        // Batch after batch in time order, as the consumer meets a stream, with another workflow's outcomes between
        // them: each batch moves the rows it adds to, beside the other workflow's.
        Dataset other = Dataset.generate(1206, 1200, start, Duration.ofDays(5));
        int batches = 30;
        for (int i = 0; i < batches; i++) {
            for (Dataset d : List.of(data, other)) {
                repository.recordOutcomes(d.executions.subList(i * d.executions.size() / batches,
                        (i + 1) * d.executions.size() / batches)).await().atMost(Duration.ofSeconds(30));
            }
        }
        UUID workflow = UUID.fromString(data.workflowId);
        String hours = "SELECT user_id || ' ' || hour || ' ' || days::text || '@' || ctid FROM query.user_hours "
                + "WHERE workflow_id = '" + workflow + "'";
        String activity = "SELECT concat_ws(' ', user_id, workflow_version, environment, region, device_type, "
                + "days::text) || '@' || ctid FROM query.user_activity WHERE workflow_id = '" + workflow + "'";
        Map<String, Long> hoursBefore = contentsAndPages(hours);
        Map<String, Long> activityBefore = contentsAndPages(activity);
        assertTrue(hoursBefore.size() > 200, "user_hours rows: " + hoursBefore.size());

        long[] rewritten = compaction.rewriteUsers(workflow).await().atMost(Duration.ofSeconds(30));

        assertEquals(hoursBefore.size(), rewritten[0]);
        assertEquals(activityBefore.size(), rewritten[1]);
        Map<String, Long> hoursAfter = contentsAndPages(hours);
        Map<String, Long> activityAfter = contentsAndPages(activity);
        assertEquals(hoursBefore.keySet(), hoursAfter.keySet(), "the same users' hours and counts");
        assertEquals(activityBefore.keySet(), activityAfter.keySet(), "the same users' activity and counts");
        long pagesBefore = hoursBefore.values().stream().distinct().count();
        long pagesAfter = hoursAfter.values().stream().distinct().count();
        // Each row ~70 bytes (5 days): ~80 a page at fillfactor 70.
        assertTrue(pagesAfter <= hoursAfter.size() / 60 + 2, pagesAfter + " pages for " + hoursAfter.size() + " rows, "
                + pagesBefore + " before");
        assertTrue(pagesAfter < pagesBefore, pagesAfter + " pages after, " + pagesBefore + " before");
    }

    /** Each row's contents to the heap page it lies on. */
    private static Map<String, Long> contentsAndPages(String sql) {
        Map<String, Long> out = new HashMap<>();
        for (String line : TestDatabase.column(sql)) {
            String ctid = line.substring(line.lastIndexOf('@') + 2, line.length() - 1);
            out.put(line.substring(0, line.lastIndexOf('@')), Long.parseLong(ctid.substring(0, ctid.indexOf(','))));
        }
        return out;
    }

    @Test
    void closedDaysRunFromYesterdayAfterTheGraceBackToTheHourHorizonAndDoneDaysAreSkipped() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant earlyToday = today.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofMinutes(30));
        // Default grace: one hour after midnight, yesterday is not closed long enough yet.
        assertEquals(today.minusDays(2), compaction.closedDays(earlyToday).get(0));
        List<LocalDate> closed = compaction.closedDays(earlyToday.plus(Duration.ofHours(1)));
        assertEquals(today.minusDays(1), closed.get(0));
        LocalDate horizon = LocalDate.ofInstant(RollupRetention.horizon(RollupLevel.HOUR), ZoneOffset.UTC);
        assertEquals(horizon, closed.get(closed.size() - 1));
        assertEquals(List.of(today.minusDays(1), today.minusDays(3)),
                RollupCompaction.due(List.of(today.minusDays(1), today.minusDays(2), today.minusDays(3)),
                        Set.of(today.minusDays(2))));
    }

    @Test
    void dueDaysAreRewrittenInRunsOfConsecutiveDaysOfBoundedLength() {
        LocalDate d = LocalDate.of(2026, 12, 10);
        // Newest first, as due() lists them: 10, 9, 8, (7 done), 6, 5, 4, 3, 2.
        List<LocalDate> due = List.of(d, d.minusDays(1), d.minusDays(2), d.minusDays(4), d.minusDays(5),
                d.minusDays(6), d.minusDays(7), d.minusDays(8));
        List<String> runs = RollupCompaction.runs(due, 3).stream().map(r -> r[0] + ".." + r[1]).toList();
        assertEquals(List.of("2026-12-08..2026-12-10", "2026-12-04..2026-12-06", "2026-12-02..2026-12-03"), runs);
        // Across months: the length counts days, not a period's day field.
        List<LocalDate> longRun = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            longRun.add(d.minusDays(i));
        }
        assertEquals(List.of("2026-11-10..2026-12-10", "2026-11-01..2026-11-09"),
                RollupCompaction.runs(longRun, 31).stream().map(r -> r[0] + ".." + r[1]).toList());
    }

    /** Key to {content, ctid} of every row of the workflow. */
    private static Map<String, String[]> rows(UUID workflow) {
        Map<String, String[]> out = new HashMap<>();
        for (String line : TestDatabase.column(ROWS + "'" + workflow + "'")) {
            String key = line.substring(0, line.indexOf('='));
            out.put(key, new String[] {line.substring(line.indexOf('=') + 1, line.lastIndexOf('@')),
                    line.substring(line.lastIndexOf('@') + 1)});
        }
        return out;
    }

    private static long pages(UUID workflow, String condition) {
        return TestDatabase.count("SELECT count(DISTINCT (ctid::text::point)[0]) FROM query.metric_rollups WHERE "
                + "workflow_id = '" + workflow + "'" + condition);
    }
}
