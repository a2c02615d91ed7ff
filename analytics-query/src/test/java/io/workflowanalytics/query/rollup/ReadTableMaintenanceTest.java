package io.workflowanalytics.query.rollup;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tables the views read are vacuumed and analysed once enough of them changed, and not again until more has:
 * what keeps index-only scans and plans good on a server whose autovacuum is off.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
@TestProfile(ReadTableMaintenanceTest.NoConsumers.class)
class ReadTableMaintenanceTest {

    /**
     * An application of its own that consumes nothing, so that only this test changes the tables between its calls:
     * in the shared one, rows the consumers wrote for an earlier test (or their statistics, which sessions report up
     * to seconds late) once made the table due again between the second and third call.
     */
    public static class NoConsumers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Stale from 3 % changed (1.0 as shipped): a test cannot double a table benchmarks may have filled.
            return Map.of("mp.messaging.incoming.analytics-metrics.enabled", "false",
                    "mp.messaging.incoming.analytics-executions.enabled", "false",
                    "wa.maintenance.stale-fraction", "0.03");
        }
    }

    private static final String STATS = "FROM pg_stat_user_tables WHERE schemaname = 'query' AND relname = "
            + "'execution_outcomes'";

    @Inject
    ReadTableMaintenance maintenance;

    @Test
    void vacuumsAChangedTableOnceAndLeavesAnUnchangedOneAlone() {
        // Whatever earlier tests left behind is dealt with first, so that only this test's rows make a table due.
        maintenance.vacuumDue().await().atMost(Duration.ofMinutes(2));
        long live = TestDatabase.count("SELECT n_live_tup " + STATS);
        long vacuums = TestDatabase.count("SELECT vacuum_count " + STATS);
        // Due from 2 % of the live rows, counted after the insert: 3 % of them before it is enough at any size (2 %
        // of them was not, once benchmarks had left 341,127 rows in the shared database).
        long rows = Math.max(1000, (long) Math.ceil(0.03 * live)) + 10;

        insertOutcomes(rows);
        // Table statistics reach pg_stat_user_tables shortly after the inserting session's commit.
        await().atMost(Duration.ofSeconds(30)).until(() ->
                TestDatabase.count("SELECT n_ins_since_vacuum " + STATS) >= rows);

        List<String> vacuumed = maintenance.vacuumDue().await().atMost(Duration.ofMinutes(2));
        assertTrue(vacuumed.contains("execution_outcomes"), "vacuumed: " + vacuumed);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                TestDatabase.count("SELECT vacuum_count " + STATS) == vacuums + 1);
        assertTrue(TestDatabase.count("SELECT n_ins_since_vacuum " + STATS) < rows);
        assertTrue(TestDatabase.count("SELECT n_mod_since_analyze " + STATS) < rows, "analysed too");

        assertFalse(maintenance.vacuumDue().await().atMost(Duration.ofMinutes(2)).contains("execution_outcomes"),
                "nothing changed since: not vacuumed again");
        assertEquals(vacuums + 1, TestDatabase.count("SELECT vacuum_count " + STATS));
    }

    @Test
    void whileVacuumWaitsAnalysesATableWhoseStatisticsAreStaleAndDoesNotVacuumIt() {
        maintenance.vacuumDue().await().atMost(Duration.ofMinutes(2));
        long live = TestDatabase.count("SELECT n_live_tup " + STATS);
        long vacuums = TestDatabase.count("SELECT vacuum_count " + STATS);
        long analyses = TestDatabase.count("SELECT analyze_count " + STATS);
        // Statistics current: nothing to analyse.
        assertFalse(maintenance.analyseStale().await().atMost(Duration.ofMinutes(2)).contains("execution_outcomes"));

        long rows = Math.max(1000, (long) Math.ceil(0.04 * live)) + 10;
        insertOutcomes(rows);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                TestDatabase.count("SELECT n_mod_since_analyze " + STATS) >= rows);

        List<String> analysed = maintenance.analyseStale().await().atMost(Duration.ofMinutes(2));
        assertTrue(analysed.contains("execution_outcomes"), "analysed: " + analysed);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                TestDatabase.count("SELECT analyze_count " + STATS) == analyses + 1);
        assertTrue(TestDatabase.count("SELECT n_mod_since_analyze " + STATS) < rows);
        assertEquals(vacuums, TestDatabase.count("SELECT vacuum_count " + STATS), "analysed, not vacuumed");
        assertTrue(TestDatabase.count("SELECT n_ins_since_vacuum " + STATS) >= rows, "the vacuum still owed");
    }

    /** Rows of a new workflow: what makes execution_outcomes due, and nothing else. */
    private static void insertOutcomes(long rows) {
        TestDatabase.execute("INSERT INTO query.execution_outcomes (workflow_id, execution_id, finished_at, succeeded)"
                + " SELECT '" + UUID.randomUUID() + "', gen_random_uuid(), now() - g * interval '1 second', true"
                + " FROM generate_series(1, " + rows + ") g");
    }
}
