package io.workflowanalytics.ingest.retention;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class PartitionJobTest {

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    @Inject
    PartitionJob job;

    @Test
    void partitionsExistForTheRetentionWindowAndAhead() {
        job.maintain().await().indefinitely();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (String table : PartitionJob.PARTITIONED_TABLES) {
            List<String> partitions = partitionsOf(table);
            for (int d = -120; d <= 7; d++) {
                String name = table + "_p" + today.plusDays(d).format(DAY);
                assertTrue(partitions.contains(name), name + " missing");
            }
        }
    }

    @Test
    void partitionOlderThanRetentionIsDroppedWholeWithItsRows() {
        String old = "analytics_metrics_p20200101";
        TestDatabase.execute("CREATE TABLE IF NOT EXISTS " + old + " PARTITION OF analytics_metrics "
                + "FOR VALUES FROM ('2020-01-01 00:00:00+00') TO ('2020-01-02 00:00:00+00')");
        TestDatabase.execute("INSERT INTO analytics_metrics (workflow_id, metric_type, value, \"timestamp\", source, "
                + "aggregation_level) VALUES (gen_random_uuid(), 'cost', 1, '2020-01-01 12:00:00+00', 'cost_tracker', 'raw')");
        String expiredByRetention = "analytics_metrics_p" + LocalDate.now(ZoneOffset.UTC).minusDays(121).format(DAY);
        TestDatabase.execute("CREATE TABLE IF NOT EXISTS " + expiredByRetention + " PARTITION OF analytics_metrics "
                + "FOR VALUES FROM ('" + LocalDate.now(ZoneOffset.UTC).minusDays(121) + " 00:00:00+00') TO ('"
                + LocalDate.now(ZoneOffset.UTC).minusDays(120) + " 00:00:00+00')");

        PartitionJob.Result result = job.maintain().await().indefinitely();

        assertTrue(result.dropped().containsAll(List.of(old, expiredByRetention)), result.toString());
        List<String> partitions = partitionsOf("analytics_metrics");
        assertTrue(!partitions.contains(old) && !partitions.contains(expiredByRetention), partitions.toString());
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM analytics_metrics WHERE \"timestamp\" < '2021-01-01'"));
        assertTrue(partitions.contains("analytics_metrics_p" + LocalDate.now(ZoneOffset.UTC).minusDays(120).format(DAY)),
                "the oldest day inside the retention window stays");
    }

    @Test
    void replicasMaintainingAtOnceCreateEachMissingPartitionOnceAndBothSucceed() {
        job.maintain().await().indefinitely();
        LocalDate ahead = LocalDate.now(ZoneOffset.UTC).plusDays(7);
        for (String table : PartitionJob.PARTITIONED_TABLES) {
            TestDatabase.execute("DROP TABLE IF EXISTS " + table + "_p" + ahead.format(DAY));
        }
        // two maintenance runs on two connections at the same moment, as two replicas starting together
        List<PartitionJob.Result> results = io.smallrye.mutiny.Uni.join().all(job.maintain(), job.maintain())
                .andFailFast().await().atMost(java.time.Duration.ofSeconds(60));
        assertEquals(PartitionJob.PARTITIONED_TABLES.size(), results.get(0).created() + results.get(1).created(),
                results.toString());
        for (String table : PartitionJob.PARTITIONED_TABLES) {
            assertTrue(partitionsOf(table).contains(table + "_p" + ahead.format(DAY)));
        }
    }

    private static List<String> partitionsOf(String table) {
        return TestDatabase.column("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace "
                + "WHERE n.nspname = 'ingest' AND p.relname = '" + table + "'");
    }
}
