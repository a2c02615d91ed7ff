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
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adding to existing rollup rows is a heap-only (HOT) update: no new index entries, the old version pruned in its
 * page. It is only while no index holds a column the upsert changes (V8 migration); a covering index of the totals
 * made every update write both indexes again and left their old entries for vacuum.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class RollupUpdatesTest {

    private static final String STATS = "FROM pg_stat_user_tables WHERE schemaname = 'query' AND relname = "
            + "'metric_rollups'";

    @Inject
    RollupRepository repository;

    @Test
    void rowsAddedToBatchAfterBatchAreUpdatedInTheirPagesWithoutNewIndexEntries() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        Dataset data = Dataset.generate(94, 60, start, Duration.ofMinutes(60));
        List<AnalyticsMetric> stream = data.metrics.stream()
                .sorted(Comparator.comparing(AnalyticsMetric::timestamp)).toList();
        long updatesBefore = stat("n_tup_upd");
        long hotBefore = stat("n_tup_hot_upd");

        // As the consumer meets a live stream: batch after batch, each adding to the hour and day rows of the ones
        // before it. A batch's rows that exist already are updated: its distinct rows less the rows it created.
        long updates = 0;
        long rowsBefore = 0;
        int batches = 12;
        for (int i = 0; i < batches; i++) {
            List<AnalyticsMetric> batch = stream.subList(i * stream.size() / batches, (i + 1) * stream.size() / batches);
            int touched = repository.apply(batch).await().atMost(Duration.ofSeconds(30)).sortedDeltas().size();
            long rows = TestDatabase.count("SELECT count(*) FROM query.metric_rollups WHERE workflow_id = '"
                    + data.workflowId + "'");
            updates += touched - (rows - rowsBefore);
            rowsBefore = rows;
        }
        assertTrue(updates > 1000, "updates: " + updates);
        long expectedUpdates = updates;

        // Statistics reach pg_stat_user_tables shortly after the writing session's commit. Other tests' rollups may
        // add updates of their own, so HOT ones are compared with this test's updates rather than with all of them.
        await().atMost(Duration.ofSeconds(30)).until(() -> stat("n_tup_upd") - updatesBefore >= expectedUpdates);
        long hot = stat("n_tup_hot_upd") - hotBefore;
        // A version that finds no room in its page goes elsewhere (not HOT): fillfactor keeps that rare.
        assertTrue(hot >= 0.9 * updates, hot + " HOT of " + updates + " updates");
    }

    private static long stat(String column) {
        return TestDatabase.count("SELECT " + column + " " + STATS);
    }
}
