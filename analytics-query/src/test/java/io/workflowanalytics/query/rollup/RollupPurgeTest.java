package io.workflowanalytics.query.rollup;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Minute and hour rows past their horizons, day rows of stored months past theirs, everything past the month horizon,
 * and metric ids and execution outcomes past theirs, are deleted, in chunks; everything inside the horizons stays,
 * and so do the days of months whose month rows are not stored. The test profile keeps minute and hour rows 400 days,
 * day rows 800 days (to the start of that month), month rows 40 months and ids 127 days.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class RollupPurgeTest {

    @Inject
    RollupPurge purge;

    @Test
    void deletesRowsPastTheirLevelsHorizonAndIdsPastTheirsInChunksAndKeepsTheRest() {
        String workflow = UUID.randomUUID().toString();
        // 12,000 old minute rows over two groupings: more than two chunks of 5,000, across key prefixes.
        rows(workflow, "execution_time", "", "minute", "500 days", 6000);
        rows(workflow, "cost", "costComponent", "minute", "450 days", 6000);
        rows(workflow, "execution_time", "", "hour", "401 days", 30);
        rows(workflow, "execution_time", "", "minute", "399 days", 20);
        rows(workflow, "execution_time", "", "hour", "399 days", 20);
        // Past the day horizon: a stored month's days go, its month row and its days' hour sums stay; a month not
        // stored keeps its days. Past the month horizon everything goes. The month of the day horizon stays whole.
        Instant dayHorizon = RollupRetention.horizon(RollupLevel.DAY);
        Instant monthHorizon = RollupRetention.horizon(RollupLevel.MONTH);
        assertEquals(dayHorizon, RollupLevel.MONTH.bucket(dayHorizon), "the day horizon starts a month");
        LocalDate stored = RollupLevel.month(dayHorizon).minusMonths(3);
        LocalDate notStored = RollupLevel.month(dayHorizon).minusMonths(2);
        TestDatabase.execute("INSERT INTO query.rollup_compacted_months (month, stored) VALUES ('" + stored
                + "', true) ON CONFLICT (month) DO UPDATE SET stored = true");
        TestDatabase.execute("DELETE FROM query.rollup_compacted_months WHERE month = '" + notStored + "'");
        rowsFrom(workflow, "day", stored.atStartOfDay(ZoneOffset.UTC).toInstant(), stored.lengthOfMonth());
        rowsFrom(workflow, "month", stored.atStartOfDay(ZoneOffset.UTC).toInstant(), 1);
        rowsFrom(workflow, "day", notStored.atStartOfDay(ZoneOffset.UTC).toInstant(), 10);
        rowsFrom(workflow, "day", dayHorizon, 5);
        Instant beforeMonths = RollupLevel.MONTH.bucket(monthHorizon.minus(Duration.ofDays(1)));
        rowsFrom(workflow, "day", beforeMonths, 6);
        rowsFrom(workflow, "month", RollupLevel.MONTH.bucket(beforeMonths.minus(Duration.ofDays(40))), 2);
        rowsFrom(workflow, "month", monthHorizon, 1);
        daySums(workflow, beforeMonths, 3);
        daySums(workflow, stored.atStartOfDay(ZoneOffset.UTC).toInstant(), 4);
        // The users' running totals per day: days before the day horizon h go, and later days' counts stay what they
        // were (a range's executions are the difference of two totals); a row with no day from h on goes.
        long h = LocalDate.ofInstant(dayHorizon, ZoneOffset.UTC).toEpochDay();
        userHours(workflow, "u-old", 1, "[" + (h - 10) + ":" + (h - 3) + "]={1,2,3,4,5,6,7,8}");
        userHours(workflow, "u-span", 2, "[" + (h - 5) + ":" + (h + 2) + "]={1,2,3,4,5,6,7,8}");
        userHours(workflow, "u-new", 3, "[" + h + ":" + (h + 1) + "]={4,9}");
        TestDatabase.execute("INSERT INTO query.user_activity (workflow_id, user_id, workflow_version, environment, "
                + "region, device_type, days) VALUES ('" + workflow + "', 'u-span', '1.0', 'production', 'eu', 'web', "
                + "'[" + (h - 1) + ":" + (h + 1) + "]={2,5,6}'), ('" + workflow + "', 'u-old', '1.0', 'production', 'eu', "
                + "'web', '[" + (h - 3) + ":" + (h - 1) + "]={1,1,4}')");
        List<UUID> oldIds = ids("200 days", 7000);
        List<UUID> recentIds = ids("100 days", 10);
        // Outcomes past the ids' horizon (127 days), across two workflows and more than a chunk; recent ones stay.
        String other = UUID.randomUUID().toString();
        outcomes(workflow, "130 days", 4000);
        outcomes(other, "300 days", 3000);
        outcomes(workflow, "126 days", 15);
        outcomes(other, "1 day", 5);

        RollupPurge.Purged purged = purge.purge().await().atMost(Duration.ofMinutes(2));

        assertTrue(purged.minuteRows() >= 12_000, "minute rows purged: " + purged.minuteRows());
        assertTrue(purged.hourRows() >= 30, "hour rows purged: " + purged.hourRows());
        assertTrue(purged.appliedIds() >= 7000, "ids purged: " + purged.appliedIds());
        assertTrue(purged.outcomes() >= 7000, "outcomes purged: " + purged.outcomes());
        assertEquals(15, outcomesLeft(workflow), "outcomes inside the horizon stay");
        assertEquals(5, outcomesLeft(other), "outcomes inside the horizon stay");
        assertEquals(0, left(workflow, "minute", "bucket < now() - interval '400 days'"));
        assertEquals(20, left(workflow, "minute", "true"), "minute rows inside the horizon stay");
        assertEquals(20, left(workflow, "hour", "true"), "hour rows inside the horizon stay");
        assertTrue(purged.dayRows() >= stored.lengthOfMonth() + 6, "day rows purged: " + purged.dayRows());
        assertTrue(purged.monthRows() >= 2, "month rows purged: " + purged.monthRows());
        assertTrue(purged.daySums() >= 3, "days' hour sums purged: " + purged.daySums());
        assertEquals(15, left(workflow, "day", "true"), "the unstored month's days and the horizon month's stay");
        assertEquals(10, left(workflow, "day", "bucket < '" + notStored.plusMonths(1) + "'"));
        assertEquals(2, left(workflow, "month", "true"), "month rows inside the month horizon stay");
        assertEquals(1, left(workflow, "month", "bucket = '" + stored + "'"));
        assertEquals(4, TestDatabase.count("SELECT count(*) FROM query.day_hour_sums WHERE workflow_id = '"
                + workflow + "'"), "days' hour sums inside the month horizon stay");
        assertTrue(purged.userRows() >= 4, "users' rows purged or trimmed: " + purged.userRows());
        assertEquals(List.of("u-new 3 [" + h + ":" + (h + 1) + "]={4,9}",
                        "u-span 2 [" + h + ":" + (h + 2) + "]={1,2,3}"),
                TestDatabase.column("SELECT user_id || ' ' || hour || ' ' || days::text FROM query.user_hours "
                        + "WHERE workflow_id = '" + workflow + "' ORDER BY user_id"));
        assertEquals(List.of("u-span [" + h + ":" + (h + 1) + "]={3,4}"), TestDatabase.column("SELECT user_id || ' ' "
                + "|| days::text FROM query.user_activity WHERE workflow_id = '" + workflow + "'"));
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM query.applied_metrics WHERE id IN ("
                + quoted(oldIds) + ")"));
        assertEquals(10, TestDatabase.count("SELECT count(*) FROM query.applied_metrics WHERE id IN ("
                + quoted(recentIds) + ")"));

        assertEquals(new RollupPurge.Purged(0, 0, 0, 0, 0, 0, 0, 0),
                purge.purge().await().atMost(Duration.ofMinutes(1)),
                "nothing left to purge");
    }

    /** {@code n} rows of one grouping, a minute apart going back from {@code age} ago. */
    private static void rows(String workflow, String type, String dimKey, String level, String age, int n) {
        TestDatabase.execute("INSERT INTO query.metric_rollups (workflow_id, metric_type, dim_key, dim_value, level, "
                + "bucket, count, sum, sum_sq, min, max, sketch) SELECT '" + workflow + "', '" + type + "', '"
                + dimKey + "', CASE WHEN '" + dimKey + "' = '' THEN '' ELSE 'v' || (g % 3) END, '" + level + "', "
                + "date_trunc('" + level + "', now() - interval '" + age + "') - g * interval '1 " + level + "', "
                + "1, 1, 1, 1, 1, '{}' FROM generate_series(0, " + (n - 1) + ") g");
    }

    /** {@code n} rows of the whole workflow's execution times, a level's bucket apart going on from {@code first}. */
    private static void rowsFrom(String workflow, String level, Instant first, int n) {
        TestDatabase.execute("INSERT INTO query.metric_rollups (workflow_id, metric_type, dim_key, dim_value, level, "
                + "bucket, count, sum, sum_sq, min, max, sketch) SELECT '" + workflow + "', 'execution_time', '', '', '"
                + level + "', '" + first + "'::timestamptz + g * interval '1 " + level + "', 1, 1, 1, 1, 1, '{}' "
                + "FROM generate_series(0, " + (n - 1) + ") g");
    }

    private static void userHours(String workflow, String user, int hour, String days) {
        TestDatabase.execute("INSERT INTO query.user_hours (workflow_id, user_id, hour, days) VALUES ('" + workflow
                + "', '" + user + "', " + hour + ", '" + days + "')");
    }

    private static void daySums(String workflow, Instant first, int n) {
        TestDatabase.execute("INSERT INTO query.day_hour_sums (workflow_id, metric_type, day, sums) SELECT '" + workflow
                + "', 'execution_count', ('" + first + "'::timestamptz AT TIME ZONE 'UTC')::date + g, "
                + "array_fill(1::numeric, ARRAY[24]) FROM generate_series(0, " + (n - 1) + ") g");
    }

    private static List<UUID> ids(String age, int n) {
        List<UUID> ids = java.util.stream.Stream.generate(UUID::randomUUID).limit(n).toList();
        TestDatabase.execute("INSERT INTO query.applied_metrics (\"timestamp\", id) SELECT now() - interval '" + age
                + "', unnest(ARRAY[" + quoted(ids) + "]::uuid[])");
        return ids;
    }

    /** {@code n} finished executions, a minute apart going back from {@code age} ago, every tenth failed. */
    private static void outcomes(String workflow, String age, int n) {
        TestDatabase.execute("INSERT INTO query.execution_outcomes (workflow_id, execution_id, finished_at, succeeded, "
                + "error_type) SELECT '" + workflow + "', gen_random_uuid(), now() - interval '" + age
                + "' - g * interval '1 minute', g % 10 <> 0, CASE WHEN g % 10 = 0 THEN 'api_timeout' END "
                + "FROM generate_series(0, " + (n - 1) + ") g");
    }

    private static long outcomesLeft(String workflow) {
        return TestDatabase.count("SELECT count(*) FROM query.execution_outcomes WHERE workflow_id = '" + workflow
                + "'");
    }

    private static long left(String workflow, String level, String condition) {
        return TestDatabase.count("SELECT count(*) FROM query.metric_rollups WHERE workflow_id = '" + workflow
                + "' AND level = '" + level + "' AND " + condition);
    }

    private static String quoted(List<UUID> ids) {
        return String.join(",", ids.stream().map(id -> "'" + id + "'").toList());
    }
}
