package io.workflowanalytics.query.rollup;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Keeps the tables the views read vacuumed and analysed when the server's autovacuum is off (an operator's choice
 * this service cannot undo; the CI machine runs that way). The views read the outcomes from a covering index, which
 * skips the heap only on pages vacuum has marked all-visible, and their plans need current statistics (unanalysed,
 * the planner took a 19,000-row grouping for one row); the rollups' HOT-updated rows leave dead versions that vacuum
 * frees where page pruning did not. With autovacuum on, PostgreSQL does this itself (tuned per table in the V5
 * migration) and this job does nothing.
 * <p>
 * A table is due once the rows inserted, updated or deleted since its last vacuum pass {@code min-changed-fraction}
 * of its size (at least {@code min-changed-rows}): the same rule as the per-table autovacuum settings. One replica
 * at a time (a session advisory lock on the connection that vacuums).
 * <p>
 * While the rollup consumer drains a backlog ({@link ConsumerLag#isBacklog}) the passes wait,
 * for at most {@code max-defer}: a pass over the rollups took 6–16 s of every minute of a 90-day backfill's drain, on
 * the cores the drain is short of, for tables that the drain changes again at once and the compaction rewrites after
 * it.
 */
@ApplicationScoped
public class ReadTableMaintenance {

    private static final Logger LOG = Logger.getLogger(ReadTableMaintenance.class);
    /** Advisory lock key: "vacuumqy" in ASCII. */
    private static final long LOCK = 0x76616375756d7179L;
    /** Fixed names: VACUUM takes no parameters, so nothing from outside reaches the statement. */
    static final Set<String> TABLES = Set.of("metric_rollups", "execution_outcomes", "user_activity", "user_hours");

    private static final String CHANGES = """
            SELECT relname, n_live_tup, n_ins_since_vacuum + n_dead_tup, n_mod_since_analyze
            FROM pg_stat_user_tables
            WHERE schemaname = current_schema() AND relname = ANY($1)
            ORDER BY relname""";

    private final Pool pool;
    private final MeterRegistry registry;
    private final boolean enabled;
    private final double minChangedFraction;
    private final long minChangedRows;
    private final ConsumerLag lag;
    private final MaintenanceDeferral deferral;
    private final double staleFraction;

    public ReadTableMaintenance(Pool pool, MeterRegistry registry, ConsumerLag lag,
                                @ConfigProperty(name = "wa.maintenance.enabled", defaultValue = "true")
                                boolean enabled,
                                @ConfigProperty(name = "wa.maintenance.min-changed-fraction", defaultValue = "0.02")
                                double minChangedFraction,
                                @ConfigProperty(name = "wa.maintenance.min-changed-rows", defaultValue = "1000")
                                long minChangedRows,
                                @ConfigProperty(name = "wa.maintenance.max-defer", defaultValue = "15m")
                                Duration maxDefer,
                                @ConfigProperty(name = "wa.maintenance.stale-fraction", defaultValue = "1.0")
                                double staleFraction) {
        this.pool = pool;
        this.registry = registry;
        this.enabled = enabled;
        this.minChangedFraction = minChangedFraction;
        this.minChangedRows = minChangedRows;
        this.lag = lag;
        this.deferral = new MaintenanceDeferral(maxDefer);
        this.staleFraction = staleFraction;
    }

    @Scheduled(every = "${wa.maintenance.check-every:1m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return pool.query("SELECT current_setting('autovacuum')::bool").execute()
                .chain(rows -> rows.iterator().next().getBoolean(0) ? Uni.createFrom().item(List.<String>of())
                        : lag.metrics()
                        // The broker out of reach says nothing about a backlog: the tables are kept as before.
                        .onFailure().recoverWithItem(0L)
                        .chain(behind -> {
                            if (deferral.defer(lag.isBacklog(behind), Instant.now())) {
                                LOG.debugf("table maintenance waits: the rollup consumer is %d records behind", behind);
                                return analyseStale();
                            }
                            return vacuumDue();
                        }))
                .onFailure().invoke(e -> LOG.warnf("table maintenance failed, retried next tick: %s", e.toString()))
                .onFailure().recoverWithItem(List.of()).replaceWithVoid();
    }

    /** Vacuums and analyses the tables that are due, whatever autovacuum does; returns their names. */
    public Uni<List<String>> vacuumDue() {
        return maintain(row -> {
            double threshold = Math.max(minChangedRows, minChangedFraction * row.getLong(1));
            return row.getLong(2) >= threshold || row.getLong(3) >= threshold;
        }, "VACUUM (ANALYZE) ", "wa.maintenance.vacuums",
                "vacuumed and analysed %s in %d ms (server autovacuum is off)");
    }

    /**
     * Analyses, without vacuuming, the tables whose statistics are badly stale: changed by more than
     * {@code stale-fraction} of their size since their last analyse. What runs while the vacuum passes wait: a drain
     * that starts from a small table grows it many times over, and with the statistics of its start the alert
     * evaluation's rollup reads took hash joins over every row of a workflow, metric type and grouping instead of
     * the few rows of their window (10 % of PostgreSQL's CPU in a 90-day backfill's drain, perf). ANALYZE samples a
     * fixed number of rows whatever the table's size, and a table that must double to be due is analysed a few
     * times in a whole drain.
     */
    public Uni<List<String>> analyseStale() {
        return maintain(row -> row.getLong(3) >= Math.max(minChangedRows, staleFraction * row.getLong(1)),
                "ANALYZE ", "wa.maintenance.analyses",
                "analysed %s in %d ms while vacuum waits for the backlog (server autovacuum is off)");
    }

    /**
     * Runs {@code command} on each table whose row of {@link #CHANGES} is {@code due}, one replica at a time (a
     * session advisory lock on the connection that runs them); returns the tables' names.
     */
    private Uni<List<String>> maintain(Predicate<Row> due, String command, String counter, String done) {
        return SessionLock.run(pool, LOCK, List.of(), conn -> conn.preparedQuery(CHANGES)
                .execute(Tuple.of(TABLES.toArray(String[]::new))).chain(rows -> {
                    List<String> tables = new ArrayList<>();
                    for (Row row : rows) {
                        // Only names of TABLES come back, and only those reach the statement (no parameters there).
                        if (TABLES.contains(row.getString(0)) && due.test(row)) {
                            tables.add(row.getString(0));
                        }
                    }
                    return Multi.createFrom().iterable(tables).onItem().transformToUniAndConcatenate(table -> {
                        long started = System.nanoTime();
                        return conn.query(command + table).execute().map(result -> {
                            registry.counter(counter, "table", table).increment();
                            LOG.infof(done, table, (System.nanoTime() - started) / 1_000_000);
                            return table;
                        });
                    }).collect().asList();
                }));
    }
}
