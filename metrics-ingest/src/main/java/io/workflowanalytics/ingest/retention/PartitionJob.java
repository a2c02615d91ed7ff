package io.workflowanalytics.ingest.retention;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the raw store's daily partitions: every day of the retention window and {@code partitions-ahead-days}
 * ahead exist, and partitions that ended before the window are dropped whole (the spec's DataRetentionPolicy;
 * never row-by-row deletes). Runs at start-up, so that ingestion finds its partitions, and then hourly.
 */
@ApplicationScoped
public class PartitionJob {

    private static final Logger LOG = Logger.getLogger(PartitionJob.class);
    static final List<String> PARTITIONED_TABLES = List.of("analytics_metrics", "executions");

    private final Pool pool;
    private final IngestConfig config;
    private final Clock clock = Clock.systemUTC();

    public PartitionJob(Pool pool, IngestConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** The advisory lock that serialises partition creation across replicas ("wa-parts"). */
    static final long CREATE_LOCK = 0x77612d7061727473L;

    void onStart(@Observes StartupEvent event) {
        maintain().await().indefinitely();
    }

    @Scheduled(every = "${wa.ingest.retention.check-every:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return maintain().replaceWithVoid();
    }

    /** Creates the missing partitions and drops expired ones; reports what changed. */
    public Uni<Result> maintain() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate first = today.minusDays(config.retention().rawRetentionDays());
        LocalDate last = today.plusDays(config.retention().partitionsAheadDays());
        // Creating and dropping in separate transactions: a drop takes an exclusive lock on the parent table, and
        // with a lock timeout it gives way to long readers (and retries next run) instead of queueing every insert.
        return pool.withTransaction(tx -> {
            // Replicas starting together would otherwise both find a partition missing and one fail to create it
            // (42P07, failing its boot): one at a time, the second finds the first's partitions.
            Uni<Integer> created = tx.query("SELECT pg_advisory_xact_lock(" + CREATE_LOCK + ")").execute()
                    .replaceWith(0);
            for (String table : PARTITIONED_TABLES) {
                created = created.chain(n -> tx.preparedQuery("SELECT ensure_daily_partitions($1, $2, $3)")
                        .execute(Tuple.of(table, first, last))
                        .map(rows -> n + rows.iterator().next().getInteger(0)));
            }
            return created;
        }).chain(created -> pool.withTransaction(tx -> {
            Uni<Result> result = tx.query("SET LOCAL lock_timeout = '5s'").execute()
                    .replaceWith(new Result(created, new ArrayList<>()));
            for (String table : PARTITIONED_TABLES) {
                result = result.chain(r -> tx.preparedQuery("SELECT drop_daily_partitions_before($1, $2)")
                        .execute(Tuple.of(table, first))
                        .map(rows -> {
                            for (Row row : rows) {
                                r.dropped().add(row.getString(0));
                            }
                            return r;
                        }));
            }
            return result;
        }).onFailure().recoverWithItem(e -> {
            LOG.warnf("dropping expired partitions deferred to the next run: %s", e.getMessage());
            return new Result(created, new ArrayList<>());
        })).invoke(r -> {
            if (r.created() > 0 || !r.dropped().isEmpty()) {
                LOG.infof("partitions: %d created, dropped %s", r.created(), r.dropped());
            }
        });
    }

    /** Partitions created, and the names of those dropped. */
    public record Result(int created, List<String> dropped) {
    }
}
